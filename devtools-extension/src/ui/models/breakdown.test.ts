import { describe, expect, it } from 'vitest';
import { ttftBreakdown } from './breakdown';
import { spanRecordsFrom } from './span-record';
import { chatTrace } from '../../testing/chat-trace';
import { resourceSpans, spanIdOf, traceIdOf } from '../../testing/otlp-fixtures';

const sumOf = (breakdown: ReturnType<typeof ttftBreakdown>) => (breakdown?.parts ?? []).reduce((total, part) => total + part.ms, 0);

/**
 * Shaped like a real demo trace: the gateway's `start` event reaches the browser 53 ms after the
 * stream opened, long before the first token (at 373 ms), which is painted at 403.4 ms.
 */
function demoShapedTrace(visible: { arrivalMs?: number; index?: number } = { arrivalMs: 373.4, index: 1 }) {
  const t = 1_764_000_000_000;
  const traceId = traceIdOf(77);
  const id = (k: number): string => spanIdOf(770 + k);
  const streamAttrs: Record<string, number | string> = {
    'streamtrace.stream.transport': 'eventsource', 'streamtrace.stream.chunks': 42,
    'streamtrace.chunk.first_arrival_ms': 53.1, 'streamtrace.chunk.first_paint_ms': 403.4,
  };
  if (visible.arrivalMs !== undefined) streamAttrs['streamtrace.chunk.first_visible_arrival_ms'] = visible.arrivalMs;
  if (visible.index !== undefined) streamAttrs['streamtrace.chunk.first_visible_index'] = visible.index;
  const browser = resourceSpans('chat-web', [
    { traceId, spanId: id(1), name: 'chat.message', startMs: t, endMs: t + 1400, attrs: { 'streamtrace.message.id': 'm-demo', 'streamtrace.ttft_visible_ms': 405 } },
    { traceId, spanId: id(2), parentSpanId: id(1), name: 'chat.stream', kind: 3, startMs: t + 1.6, endMs: t + 1390, attrs: streamAttrs },
  ]);
  const gateway = resourceSpans('chat-gateway', [
    { traceId, spanId: id(3), parentSpanId: id(2), name: 'GET', kind: 2, startMs: t + 32.6, endMs: t + 1385 },
    {
      traceId, spanId: id(4), parentSpanId: id(3), name: 'stream sse', startMs: t + 33, endMs: t + 1384,
      events: [{ name: 'stream.start', timeMs: t + 33.2 }, { name: 'stream.delta', timeMs: t + 372.2, attrs: { 'streamtrace.delta.index': 0 } }],
    },
    { traceId, spanId: id(5), parentSpanId: id(3), name: 'retrieval docs', kind: 3, startMs: t + 34, endMs: t + 87, attrs: { 'gen_ai.operation.name': 'retrieval' } },
    { traceId, spanId: id(6), parentSpanId: id(3), name: 'chat sim-gpt-1', kind: 3, startMs: t + 94, endMs: t + 1380, attrs: { 'gen_ai.operation.name': 'chat', 'gen_ai.response.time_to_first_chunk': 0.277 } },
  ]);
  const series = Array.from({ length: 42 }, (_, index) => {
    const arrival = index === 0 ? 54.7 : 373.4 + (index - 1) * 15;
    // The start chunk changes nothing, so it is committed and painted with the first token.
    const paint = index <= 1 ? 403.4 : arrival + 20;
    const open = t + 1.6;
    return { index, bytes: 20, arrivalMs: open + arrival, commitMs: open + (index <= 1 ? 390 : arrival + 2), paintMs: open + paint };
  });
  return { spans: spanRecordsFrom([browser, gateway]), series };
}

const partsOf = (breakdown: ReturnType<typeof ttftBreakdown>) =>
  Object.fromEntries((breakdown?.parts ?? []).map((part) => [part.key, Math.round(part.ms * 1000) / 1000]));

describe('ttftBreakdown', () => {
  it('splits time to first visible token into its parts and names the largest', () => {
    const { browser, gateway } = chatTrace();
    const breakdown = ttftBreakdown(spanRecordsFrom([browser, gateway]));
    expect(breakdown?.totalMs).toBe(550);
    expect(partsOf(breakdown)).toEqual({ client: 20, network: 50, retrieval: 100, model: 300, transport: 50, render: 30 });
    expect(breakdown?.largest?.key).toBe('model');
    expect(breakdown?.clockSkewMs).toBeUndefined();
    expect(breakdown?.complete).toBe(true);
  });

  it('uses the chunk series for first arrival and paint when the SDK sent one', () => {
    const { browser, gateway, traceId, streamSpanId } = chatTrace();
    const t0 = 1_700_000_000_000;
    const series = [
      { index: 0, bytes: 5, arrivalMs: t0 + 540, paintMs: t0 + 600 },
      { index: 1, bytes: 5, arrivalMs: t0 + 560, paintMs: t0 + 610 },
    ];
    void traceId;
    void streamSpanId;
    const breakdown = ttftBreakdown(spanRecordsFrom([browser, gateway]), series);
    // Arrival 20 ms later than the span attribute says -> transport grows by 20; the paint at 600 ms
    // lies after the recorded 550 ms time to first token, so render ends there (parts never exceed it).
    expect(partsOf(breakdown).transport).toBe(70);
    expect(partsOf(breakdown).render).toBe(10);
    expect(sumOf(breakdown)).toBeCloseTo(550, 6);
  });

  it('stays non-negative when the server clock is behind, splitting the network legs and reporting the skew', () => {
    const { browser, gateway } = chatTrace({ serverClockOffsetMs: -100 });
    const breakdown = ttftBreakdown(spanRecordsFrom([browser, gateway]))!;
    const parts = partsOf(breakdown);
    for (const value of Object.values(parts)) expect(value).toBeGreaterThanOrEqual(0);
    expect(parts).toMatchObject({ client: 20, retrieval: 100, model: 300, render: 30, network: 55, transport: 45 });
    expect(Object.values(parts).reduce((a, b) => a + b, 0)).toBeCloseTo(550, 3);
    expect(breakdown.clockSkewMs).toBeCloseTo(105, 3);
    expect(breakdown.notes.join(' ')).toMatch(/clocks differ/);
  });

  it('falls back to one backend part when only browser spans are known', () => {
    const { browser } = chatTrace();
    const breakdown = ttftBreakdown(spanRecordsFrom([browser]))!;
    expect(partsOf(breakdown)).toEqual({ client: 20, backend: 500, render: 30 });
    expect(breakdown.largest?.label).toBe('network + backend');
    expect(breakdown.complete).toBe(false);
  });

  it('partitions a real-shaped trace exactly: render starts at the first chunk that changed the DOM, not the start event', () => {
    const { spans, series } = demoShapedTrace();
    for (const breakdown of [ttftBreakdown(spans), ttftBreakdown(spans, series)]) {
      expect(breakdown?.totalMs).toBeCloseTo(405, 6);
      expect(sumOf(breakdown)).toBeCloseTo(405, 6);
      // client 1.6, network 31 + gateway 1.4 + 7, retrieval 53, model 277, relay 1.2 + down 2.8, render 30
      expect(partsOf(breakdown)).toEqual({ client: 1.6, network: 39.4, retrieval: 53, model: 277, transport: 4, render: 30 });
      expect(breakdown?.largest?.key).toBe('model');
    }
  });

  it('finds the first visible chunk by its index in the chunk series when the span has no arrival time', () => {
    const { spans, series } = demoShapedTrace({ index: 1 });
    const breakdown = ttftBreakdown(spans, series);
    expect(partsOf(breakdown).render).toBe(30);
    expect(sumOf(breakdown)).toBeCloseTo(405, 6);
  });

  it('still sums to the time to first token with an older SDK that only reports the first (non-rendering) arrival', () => {
    const { spans, series } = demoShapedTrace({});
    for (const breakdown of [ttftBreakdown(spans), ttftBreakdown(spans, series)]) {
      expect(sumOf(breakdown)).toBeCloseTo(405, 6);
      for (const part of breakdown!.parts) expect(part.ms).toBeGreaterThanOrEqual(0);
      expect(breakdown?.notes.join(' ')).toMatch(/first visible chunk unknown/);
    }
  });

  it('sums to the total for any server clock offset', () => {
    for (const offset of [-5000, -400, -37, 0, 12, 350, 9000]) {
      const { browser, gateway } = chatTrace({ serverClockOffsetMs: offset });
      const breakdown = ttftBreakdown(spanRecordsFrom([browser, gateway]));
      expect(sumOf(breakdown)).toBeCloseTo(550, 6);
      for (const part of breakdown!.parts) expect(part.ms).toBeGreaterThanOrEqual(0);
    }
  });

  it('has no breakdown for a message that never showed a token (the model failed before its first chunk)', () => {
    const { spans } = demoShapedTrace({});
    const message = spans.find((span) => span.name === 'chat.message')!;
    const stream = spans.find((span) => span.name === 'chat.stream')!;
    delete message.attributes['streamtrace.ttft_visible_ms'];
    delete stream.attributes['streamtrace.chunk.first_paint_ms'];
    expect(ttftBreakdown(spans)).toBeUndefined();
  });
});
