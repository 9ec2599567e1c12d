import { afterEach, describe, expect, it } from 'vitest';
import { hexId, otlpJson, postJson } from './fixtures.test-helpers.js';
import { heapAfterGcMiB } from './gc.test-helpers.js';
import { MAX_STRING_VALUE_CHARS } from './normalize-common.js';
import { MAX_ATTRIBUTES_PER_SPAN, MAX_EVENTS_PER_SPAN, TRUNCATED_VALUES_ATTRIBUTE } from './span-limits.js';
import { startCollector } from './start.js';
import type { Span } from './otlp-types.js';
import type { RunningCollector } from './start.js';

const MiB = 1024 * 1024;

function storedSpan(collector: RunningCollector, traceId: string): Span {
  const span = collector.store.spans.get(traceId)?.resourceSpans[0]?.scopeSpans[0]?.spans[0];
  if (!span) throw new Error('span not stored');
  return span;
}

describe('huge attribute values', () => {
  let collector: RunningCollector | undefined;
  afterEach(async () => {
    await collector?.close();
    collector = undefined;
  });

  it('cuts a 1 MiB string attribute to 64 KiB and marks the span, keeping the other attributes', async () => {
    collector = await startCollector({ port: 0, maxBodyBytes: 8 * MiB });
    const traceId = hexId(16);
    const huge = 'é'.repeat(MiB);
    const res = await postJson(`${collector.url}/v1/traces`, otlpJson('svc', [{ traceId, name: 'n'.repeat(MiB), attributes: { 'gen_ai.input.messages': huge, 'session.id': 's-1' } }]));
    expect(res.status).toBe(200);

    const span = storedSpan(collector, traceId);
    const value = span.attributes.find((kv) => kv.key === 'gen_ai.input.messages')?.value.stringValue;
    expect(value?.length).toBe(MAX_STRING_VALUE_CHARS);
    expect(value).toBe(huge.slice(0, MAX_STRING_VALUE_CHARS));
    expect(span.name.length).toBe(MAX_STRING_VALUE_CHARS);
    expect(span.attributes.find((kv) => kv.key === 'session.id')?.value.stringValue).toBe('s-1');
    expect(span.attributes.find((kv) => kv.key === TRUNCATED_VALUES_ATTRIBUTE)?.value.intValue).toBe('2');
    // The query API serves the cut value too.
    const served = JSON.stringify(await (await fetch(`${collector.url}/api/traces/${traceId}`)).json());
    expect(served.length).toBeLessThan(3 * MAX_STRING_VALUE_CHARS);
  });

  it('caps attributes and events per span and counts what was left out', async () => {
    collector = await startCollector({ port: 0, maxBodyBytes: 8 * MiB });
    const traceId = hexId(16);
    const body = otlpJson('svc', [{ traceId }]) as { resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[] };
    const span = body.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    span.attributes = Array.from({ length: 5000 }, (_, i) => ({ key: `a${i}`, value: { intValue: String(i) } }));
    span.droppedAttributesCount = 3;
    span.events = Array.from({ length: 20_000 }, (_, i) => ({ name: `e${i}`, timeUnixNano: '1700000000000000000', attributes: [] }));
    expect((await postJson(`${collector.url}/v1/traces`, body)).status).toBe(200);

    const stored = storedSpan(collector, traceId);
    expect(stored.attributes).toHaveLength(MAX_ATTRIBUTES_PER_SPAN);
    expect(stored.attributes.at(-1)?.key).toBe(`a${MAX_ATTRIBUTES_PER_SPAN - 1}`);
    expect(stored.droppedAttributesCount).toBe(3 + 5000 - MAX_ATTRIBUTES_PER_SPAN);
    expect(stored.events).toHaveLength(MAX_EVENTS_PER_SPAN);
    expect(stored.droppedEventsCount).toBe(20_000 - MAX_EVENTS_PER_SPAN);
  });

  it('does not keep the megabytes of cut values alive (heap after GC)', async () => {
    collector = await startCollector({ port: 0, maxBodyBytes: 48 * MiB });
    const spans = 40;
    const traceId = hexId(16);
    const url = `${collector.url}/v1/traces`;
    // Sent as a Buffer (outside the JS heap): fetch keeps the last request body alive, a string
    // would count against the bound.
    const post = async (): Promise<number> => {
      const body = Buffer.from(JSON.stringify(otlpJson('svc', Array.from({ length: spans }, (_, i) => ({ traceId, attributes: { big: `${i}`.padEnd(MiB, 'x') } })))));
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await res.text();
      return res.status;
    };
    const before = heapAfterGcMiB();
    expect(await post()).toBe(200);
    const grown = heapAfterGcMiB() - before;
    expect(collector.store.spans.stats().spans).toBe(spans);
    // 40 × 64 KiB = 2.5 MiB is kept; the 40 MiB received (or slices still pointing at it) must be gone.
    expect(grown).toBeLessThan(16);
  });
});
