import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexId, postJson } from './fixtures.test-helpers.js';
import { startCollector } from './start.js';
import type { RunningCollector } from './start.js';

/** A valid span with `patch` applied on top (undefined removes a field). */
function body(patch: Record<string, unknown>): Record<string, unknown> {
  const span: Record<string, unknown> = {
    traceId: hexId(16),
    spanId: hexId(8),
    name: 'ok',
    kind: 1,
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000000001000',
    attributes: [{ key: 'a', value: { stringValue: 'b' } }],
    ...patch,
  };
  return { resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 's' }, spans: [span] }] }] };
}

// Wrong types in fields that decide whether the span can be placed: the span is dropped and
// counted, the request succeeds (the exporter must not retry it for ever).
const DROPPED: [string, Record<string, unknown>][] = [
  ['traceId as a number', { traceId: 12345 }],
  ['spanId as an object', { spanId: { id: 'x' } }],
  ['parentSpanId as an array', { parentSpanId: ['00f067aa0ba902b7'] }],
  ['negative start time', { startTimeUnixNano: -1 }],
  ['NaN start time', { startTimeUnixNano: 'NaN' }],
  ['fractional end time', { endTimeUnixNano: 1.5 }],
  ['end time as an object', { endTimeUnixNano: { low: 1, high: 2 } }],
];

// Wrong types in the structure: the body is not OTLP, 400.
const REFUSED: [string, Record<string, unknown>][] = [
  ['name as an object', { name: { text: 'x' } }],
  ['name as a number', { name: 42 }],
  ['attributes as an object', { attributes: { a: 'b' } }],
  ['attributes as arrays', { attributes: [['a', 'b']] }],
  ['attribute value as an array', { attributes: [{ key: 'a', value: [1, 2] }] }],
  ['attribute key as a number', { attributes: [{ key: 1, value: { stringValue: 'b' } }] }],
  ['intValue not an integer', { attributes: [{ key: 'a', value: { intValue: '12abc' } }] }],
  ['boolValue as a string', { attributes: [{ key: 'a', value: { boolValue: 'true' } }] }],
  ['doubleValue as an object', { attributes: [{ key: 'a', value: { doubleValue: {} } }] }],
  ['unknown kind number', { kind: 99 }],
  ['unknown kind name', { kind: 'SPAN_KIND_BOGUS' }],
  ['negative kind', { kind: -1 }],
  ['unknown status code', { status: { code: 7 } }],
  ['status as a string', { status: 'error' }],
  ['events as a string', { events: 'e' }],
  ['event with a NaN time', { events: [{ name: 'e', timeUnixNano: 'NaN' }] }],
  ['negative flags', { flags: -1 }],
  ['droppedAttributesCount as a string', { droppedAttributesCount: 'many' }],
];

describe('wrong types everywhere', () => {
  let collector: RunningCollector;
  beforeAll(async () => {
    collector = await startCollector({ port: 0 });
  });
  afterAll(async () => {
    await collector.close();
  });

  it.each(DROPPED)('drops the span with %s and says so', async (_, patch) => {
    const res = await postJson(`${collector.url}/v1/traces`, body(patch));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ partialSuccess: { rejectedSpans: '1' } });
  });

  it.each(REFUSED)('refuses a span with %s with 400', async (_, patch) => {
    const res = await postJson(`${collector.url}/v1/traces`, body(patch));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBeTruthy();
  });

  it('refuses top-level wrong types with 400 and stores nothing from any of it', async () => {
    for (const bad of [{ resourceSpans: {} }, { resourceSpans: 'x' }, { resourceSpans: [{ scopeSpans: 5 }] }, [], 'spans', 42, null]) {
      expect((await postJson(`${collector.url}/v1/traces`, JSON.stringify(bad))).status, JSON.stringify(bad)).toBe(400);
    }
    const health = (await (await fetch(`${collector.url}/api/health`)).json()) as { spans: number };
    expect(health.spans).toBe(0);
  });
});
