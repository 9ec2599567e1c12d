import { describe, expect, it } from 'vitest';
import { createPanelStore } from './store';
import { chatTrace } from '../../testing/chat-trace';
import { resourceSpans, spanIdOf } from '../../testing/otlp-fixtures';

/** What a backend answers each time it is polled: a fresh parse of the same JSON. */
const reserved = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('panel store', () => {
  it('shows a trace once and does not change (or re-render) when a poll answers the same spans again', () => {
    const store = createPanelStore();
    const { browser, gateway, traceId } = chatTrace();
    store.addSpans([browser, gateway]);
    const version = store.version;
    const traceVersion = store.get(traceId)!.version;
    let notified = 0;
    store.subscribe(() => {
      notified += 1;
    });
    store.addSpans(reserved([gateway, browser]));
    store.addSpans(reserved([browser, gateway]));
    expect(notified).toBe(0);
    expect(store.version).toBe(version);
    expect(store.get(traceId)!.version).toBe(traceVersion);
    expect(store.get(traceId)!.spans.size).toBe(6);
    expect(store.rows()).toHaveLength(1);
  });

  it('takes a newer copy of a span (it failed, or ended later) and adds spans that were missing', () => {
    const store = createPanelStore();
    const { browser, gateway, traceId } = chatTrace({ outcome: 'complete' });
    store.addSpans([browser]);
    expect(store.rows()[0]!.status).toBe('complete');
    const failed = chatTrace({ outcome: 'error' }).browser;
    failed.scopeSpans![0]!.spans![0]!.status = { code: 2, message: 'stream broke' };
    const version = store.version;
    store.addSpans([failed, gateway]);
    expect(store.version).toBeGreaterThan(version);
    expect(store.rows()[0]!.status).toBe('error');
    expect(store.get(traceId)!.spans.get(spanIdOf(17))!.statusMessage).toBe('stream broke');
    expect(store.get(traceId)!.spans.size).toBe(6);

    const longer = reserved(gateway);
    longer.scopeSpans![0]!.spans![0]!.endTimeUnixNano = '1700000009000000000';
    store.addSpans([longer]);
    expect(store.rows()[0]!.durationMs).toBe(2000);
    expect(store.get(traceId)!.spans.get(spanIdOf(19))!.endMs).toBe(1_700_000_009_000);
  });

  it('takes a copy that gained events or attributes', () => {
    const store = createPanelStore();
    const traceId = 'f'.repeat(32);
    const span = { traceId, spanId: spanIdOf(1), name: 'stream sse', startMs: 1000, endMs: 2000 };
    store.addSpans([resourceSpans('chat-gateway', [span])]);
    store.addSpans([resourceSpans('chat-gateway', [{ ...span, events: [{ name: 'stream.delta', timeMs: 1500 }] }])]);
    expect(store.get(traceId)!.spans.get(spanIdOf(1))!.events.map((event) => event.name)).toEqual(['stream.delta']);
    store.addSpans([resourceSpans('chat-gateway', [{ ...span, events: [{ name: 'stream.delta', timeMs: 1500 }], attrs: { 'streamtrace.stream.outcome': 'complete' } }])]);
    expect(store.get(traceId)!.spans.get(spanIdOf(1))!.attributes['streamtrace.stream.outcome']).toBe('complete');
  });
});
