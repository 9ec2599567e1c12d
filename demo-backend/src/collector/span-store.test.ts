import { describe, expect, it } from 'vitest';
import { createSpanStore } from './span-store.js';
import { hexId, otlpJson } from './fixtures.test-helpers.js';
import { normalizeTraces } from './normalize-traces.js';

function batch(traceId: string, count: number, name = 'span') {
  return normalizeTraces(otlpJson('svc', Array.from({ length: count }, () => ({ traceId, name }))), 'hex').data;
}

describe('span store bound', () => {
  it('evicts the oldest traces whole and never holds more than maxSpans', () => {
    const store = createSpanStore({ maxSpans: 10 });
    const ids = Array.from({ length: 5 }, () => hexId(16));
    for (const id of ids) {
      store.add(batch(id, 3));
      expect(store.stats().spans).toBeLessThanOrEqual(10);
    }
    // 15 spans offered, 10 allowed: the first two traces (6 spans) are gone, 3 traces remain.
    expect(store.stats()).toEqual({ spans: 9, traces: 3, maxSpans: 10, evictedSpans: 6, evictedTraces: 2 });
    expect(store.get(ids[0] as string)).toBeUndefined();
    expect(store.get(ids[1] as string)).toBeUndefined();
    expect(store.get(ids[4] as string)?.resourceSpans[0]?.scopeSpans[0]?.spans).toHaveLength(3);
    expect(store.list().map((t) => t.spanCount)).toEqual([3, 3, 3]);
  });

  it('keeps the bound when a single trace alone is larger than it', () => {
    const store = createSpanStore({ maxSpans: 4 });
    store.add(batch(hexId(16), 2));
    store.add(batch(hexId(16), 6));
    expect(store.stats().spans).toBeLessThanOrEqual(4);
    expect(store.stats().evictedSpans).toBe(8);
  });

  it('ignores a span id it already holds (exporter retries)', () => {
    const store = createSpanStore({ maxSpans: 100 });
    const data = batch(hexId(16), 2);
    expect(store.add(data).resourceSpans).toHaveLength(1);
    expect(store.add(data).resourceSpans).toHaveLength(0);
    expect(store.stats().spans).toBe(2);
  });

  it('falls back to the earliest orphan span as root while the real root is missing', () => {
    const store = createSpanStore({ maxSpans: 100 });
    const traceId = hexId(16);
    store.add(
      normalizeTraces(
        otlpJson('gw', [
          { traceId, parentSpanId: hexId(8), name: 'later', startMs: 2000 },
          { traceId, parentSpanId: hexId(8), name: 'earlier', startMs: 1000 },
        ]),
        'hex',
      ).data,
    );
    expect(store.list()[0]?.rootName).toBe('earlier');
    store.add(normalizeTraces(otlpJson('browser', [{ traceId, name: 'chat.message', startMs: 1500 }]), 'hex').data);
    expect(store.list()[0]).toMatchObject({ rootName: 'chat.message', rootService: 'browser', spanCount: 3 });
  });
});
