import { describe, expect, it } from 'vitest';
import { ttftBreakdown } from './breakdown';
import { spanRecordsFrom } from './span-record';
import { chatTrace } from '../../testing/chat-trace';

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
    // Arrival 20 ms later than the span attribute says -> transport grows by 20; render 60.
    expect(partsOf(breakdown).transport).toBe(70);
    expect(partsOf(breakdown).render).toBe(60);
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
});
