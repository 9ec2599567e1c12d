import { describe, expect, it } from 'vitest';
import { heapAfterGcMiB } from './gc.test-helpers.js';
import { hexId } from './fixtures.test-helpers.js';
import { normalizeTraces } from './normalize-traces.js';
import { createSpanStore } from './span-store.js';
import { createInterner } from './store-intern.js';
import type { TracesData } from './otlp-types.js';

/** An OTLP JSON body as an SDK sends it: spans with `chunk` events that all repeat the same keys. */
function chatBody(spans: number, eventsPerSpan: number): string {
  const chunk = (i: number) => ({
    name: 'chunk',
    timeUnixNano: String(1_764_182_400_000_000_000n + BigInt(i) * 15_000_000n),
    attributes: [
      { key: 'streamtrace.chunk.index', value: { intValue: String(i) } },
      { key: 'streamtrace.chunk.bytes', value: { intValue: String(40 + (i % 30)) } },
      { key: 'streamtrace.chunk.arrival_ms', value: { doubleValue: i * 15.1 } },
      { key: 'streamtrace.chunk.commit_ms', value: { doubleValue: i * 15.1 + 1.4 } },
      { key: 'streamtrace.chunk.paint_ms', value: { doubleValue: i * 15.1 + 6.2 } },
      { key: 'streamtrace.chunk.reason', value: { stringValue: 'sample' } },
    ],
  });
  return JSON.stringify({
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'browser' } }] },
      scopeSpans: [{
        scope: { name: '@streamtrace/web' },
        spans: Array.from({ length: spans }, () => ({
          traceId: hexId(16), spanId: hexId(8), name: 'chat.stream', kind: 3,
          startTimeUnixNano: '1764182400000000000', endTimeUnixNano: '1764182403000000000',
          attributes: [{ key: 'streamtrace.stream.transport', value: { stringValue: 'fetch' } }],
          events: Array.from({ length: eventsPerSpan }, (_, i) => chunk(i)),
        })),
      }],
    }],
  });
}

const parse = (body: string): TracesData => normalizeTraces(JSON.parse(body), 'hex').data;

describe('string interning of stored spans', () => {
  it('hands out the first copy of a string and stops growing at its bound', () => {
    const interner = createInterner({ maxEntries: 2, maxLength: 8 });
    expect(interner.intern('a.b')).toBe('a.b');
    interner.intern('x'.repeat(9));
    expect(interner.size()).toBe(1);
    interner.intern('c');
    interner.intern('d');
    interner.intern('a.b');
    expect(interner.size()).toBe(2);
  });

  it('stores chat spans in much less heap than the parsed requests take', () => {
    const bodies = Array.from({ length: 6 }, () => chatBody(100, 40));
    const kept: TracesData[] = [];
    const before = heapAfterGcMiB();
    for (const body of bodies) kept.push(parse(body));
    const parsed = heapAfterGcMiB() - before;
    kept.length = 0;

    const store = createSpanStore({ maxSpans: 10_000 });
    const start = heapAfterGcMiB();
    for (const body of bodies) store.add(parse(body));
    const stored = heapAfterGcMiB() - start;

    expect(store.stats().spans).toBe(600);
    // Without interning the store holds at least what the parsed requests hold (plus its index).
    expect(stored).toBeLessThan(parsed * 0.75);
  });
});
