import { describe, expect, it } from 'vitest';
import { ChunkTimeline, round, type ChunkEvent } from './chunk-timeline.js';
import type { PaintWaiter } from './frame-scheduler.js';
import { UNSET } from './clock.js';

const reason = (e: ChunkEvent): unknown => e.attributes['streamtrace.chunk.reason'];

function timeline(overrides: Partial<ConstructorParameters<typeof ChunkTimeline>[0]> = {}) {
  const waiting: PaintWaiter[] = [];
  const t = new ChunkTimeline({
    capacity: 64, stallMs: 100, maxEvents: 100, openedAt: 0,
    requestPaint: (w) => void waiting.push(w), isHidden: () => false,
    onFirstPaint: () => {}, onSettled: () => {}, beforeFrame: () => {}, visibleSince: () => 0, onPromote: () => {},
    lightOnly: false, promoteOnGapMs: Infinity, promoteAfter: Infinity, ...overrides,
  });
  const frame = (at: number): void => {
    for (const w of waiting.splice(0)) { w.queuedForFrame = false; w.beforeFrame(); w.painted(at); }
  };
  return { t, frame };
}

describe('chunk timeline', () => {
  it("gives chunks committed before a frame that frame's paint, and later commits the next frame", () => {
    const { t, frame } = timeline();
    t.arrived(5, 10);
    t.arrived(5, 11);
    t.commitAt(12);
    t.beforeFrame(); // the frame's rAF ran; a commit after it belongs to the next frame
    t.arrived(5, 13);
    t.commitAt(14);
    t.painted(20);
    frame(36);
    t.finishTimeline();
    const series = t.chunkSeries((x) => x);
    expect(series.map((c) => [c.commitMs, c.paintMs, c.paintSource])).toEqual([[12, 20, 'raf'], [12, 20, 'raf'], [14, 36, 'raf']]);
    expect(t.latencyHist.maxMs).toBe(23);
  });

  it('does not invent a paint for chunks committed before the page became visible again', () => {
    let visibleSince = 0;
    const { t, frame } = timeline({ visibleSince: () => visibleSince });
    t.arrived(5, 10);
    t.commitAt(11);
    visibleSince = 5000; // the tab was hidden after the commit and came back at 5 s
    frame(5016);
    t.finishTimeline();
    expect(t.chunkSeries((x) => x)[0]).toMatchObject({ commitMs: 11, paintSource: 'hidden' });
    expect(t.firstPaint).toBe(UNSET);
  });

  it('stays bounded when nothing is ever committed, and counts gaps and stalls', () => {
    const { t } = timeline();
    for (let i = 0; i < 1000; i++) t.arrived(1, i * 10 + (i === 500 ? 150 : 0));
    t.finishTimeline();
    expect(t.chunkCount).toBe(1000);
    expect(t.chunkSeries((x) => x)).toHaveLength(64);
    expect(t.stallTotal).toBe(1);
    expect(t.gapMax).toBe(160);
    expect(t.selectedEvents().length).toBeLessThanOrEqual(100);
    expect(t.selectedEvents().every((c) => c.attributes['streamtrace.chunk.paint_ms'] === undefined)).toBe(true);
  });

  it('attributes the first visible token to the chunk that caused the first painted commit, not an earlier metadata chunk', () => {
    const { t, frame } = timeline();
    t.arrived(40, 10); // a `start` metadata event: the app renders nothing for it
    t.arrived(8, 200); // the first token
    t.commitAt(201);
    frame(216);
    t.arrived(8, 300);
    t.commitAt(301);
    frame(316);
    t.finishTimeline();
    expect(t.firstArrival).toBe(10);
    expect(t.firstPaint).toBe(216);
    expect(t.firstVisibleIndex).toBe(1);
    expect(t.firstVisibleArrival).toBe(200);
    // The metadata chunk still waited for that commit and paint.
    expect(t.chunkSeries((x) => x).map((c) => [c.commitMs, c.paintMs])).toEqual([[201, 216], [201, 216], [301, 316]]);
  });

  it('has no first visible chunk when nothing was painted', () => {
    const { t } = timeline({ isHidden: () => true });
    t.arrived(5, 10);
    t.commitAt(11);
    t.finishTimeline();
    expect(t.firstVisibleIndex).toBe(-1);
    expect(t.firstPaint).toBe(UNSET);
  });

  it('samples chunk events from the whole stream, not only its start', () => {
    const { t, frame } = timeline({ capacity: 64 });
    for (let i = 0; i < 10_000; i++) {
      t.arrived(1, i);
      t.commitAt(i + 0.5);
      frame(i + 1); // equal latencies: the slowest slots fill early, the rest is the reservoir
    }
    t.finishTimeline();
    const samples = t.selectedEvents().filter((c) => reason(c) === 'sample').map((c) => c.index);
    expect(samples.length).toBeGreaterThan(40);
    expect(samples.filter((i) => i >= 5000).length).toBeGreaterThan(samples.length / 4);
    expect(samples.filter((i) => i < 5000).length).toBeGreaterThan(samples.length / 4);
    expect(new Set(samples).size).toBe(samples.length);
  });

  it('keeps exactly the slowest-painted chunks and every stall as events, and counts what it dropped', () => {
    const { t, frame } = timeline({ capacity: 64, maxEvents: 64, stallMs: 1000 });
    const latency = (i: number): number => ((i * 7919) % 2003) / 10; // distinct for 1..2000
    const stalls = new Set([700, 1400]);
    let at = 0;
    for (let i = 0; i < 2000; i++) {
      at += stalls.has(i) ? 2000 : 500;
      t.arrived(3, at);
      t.commitAt(at);
      frame(at + latency(i));
    }
    t.finishTimeline();
    const events = t.selectedEvents();
    expect(events.filter((e) => reason(e) === 'first').map((e) => e.index)).toEqual([0]);
    expect(events.filter((e) => reason(e) === 'stall').map((e) => e.index)).toEqual([700, 1400]);
    const slowest = events.filter((e) => reason(e) === 'slowest').map((e) => e.index).sort((a, b) => a - b);
    const expected = Array.from({ length: 1999 }, (_, k) => k + 1)
      .filter((i) => !stalls.has(i))
      .sort((a, b) => latency(b) - latency(a))
      .slice(0, 15)
      .sort((a, b) => a - b);
    expect(slowest).toEqual(expected);
    for (const e of events) expect((e.attributes['streamtrace.chunk.paint_ms'] as number) - e.arrivalMs).toBeCloseTo(latency(e.index), 3);
    expect(events.length + t.eventsDropped).toBe(2000);
    expect(t.latencyHist.sampleTotal).toBe(2000);
  });

  it('keeps every chunk of a stream shorter than its event budget, also when later chunks are slower', () => {
    const { t, frame } = timeline({ capacity: 256, maxEvents: 100 });
    for (let i = 0; i < 39; i++) {
      const at = i * 20;
      t.arrived(50, at);
      t.commitAt(at + 1);
      frame(at + 2 + i * 0.1); // render latency grows along the answer
    }
    t.finishTimeline();
    expect(t.selectedEvents().map((e) => e.index).sort((a, b) => a - b)).toEqual(Array.from({ length: 39 }, (_, i) => i));
    expect(t.eventsDropped).toBe(0);
  });
});

describe('light chunk timeline (sampled-out traces)', () => {
  it('keeps the aggregates the unsampled buffer decides on and stops caring about commits after the first paint', () => {
    const { t, frame } = timeline({ lightOnly: true });
    t.arrived(5, 10);
    t.arrived(7, 300); // a 290 ms gap: a stall
    expect(t.needsCommits).toBe(true);
    t.commitAt(301);
    t.arrived(3, 302);
    t.commitAt(303);
    frame(316);
    expect(t.firstPaint).toBe(316);
    expect(t.firstVisibleIndex).toBe(1);
    expect(t.firstVisibleArrival).toBe(300);
    expect(t.needsCommits).toBe(false);
    t.arrived(4, 320);
    expect(t.hasPending).toBe(false);
    t.finishTimeline();
    expect([t.chunkCount, t.totalBytes, t.gapMax, t.stallTotal, t.eventsDropped]).toEqual([4, 19, 290, 1, 4]);
    expect(t.latencyHist.sampleTotal).toBe(0);
    expect(t.selectedEvents()).toEqual([]);
  });

  it('gives no first paint to a commit made while hidden, and takes the next visible one', () => {
    let hidden = true;
    const { t, frame } = timeline({ lightOnly: true, isHidden: () => hidden });
    t.arrived(5, 10);
    t.commitAt(11);
    expect(t.hasPending).toBe(false);
    hidden = false;
    t.arrived(5, 40);
    t.commitAt(41);
    frame(50);
    expect([t.firstPaint, t.firstVisibleIndex]).toEqual([50, 1]);
  });

  it('switches to full recording once the trace is known to be slow (a long gap or a late first chunk)', () => {
    const promoted: string[] = [];
    const { t, frame } = timeline({ lightOnly: true, promoteOnGapMs: 1000, onPromote: () => promoted.push('gap') });
    t.arrived(5, 10);
    t.commitAt(11);
    frame(20);
    t.arrived(5, 2000);
    expect(t.lightOnly).toBe(false);
    t.commitAt(2001);
    frame(2010);
    t.finishTimeline();
    expect(promoted).toEqual(['gap']);
    expect(t.gapMax).toBe(1990);
    expect(t.latencyHist.sampleTotal).toBe(1);
    expect(t.selectedEvents().map((e) => [e.index, e.attributes['streamtrace.chunk.paint_ms']])).toEqual([[1, 2010]]);

    const late = timeline({ lightOnly: true, promoteAfter: 5000 }).t;
    late.arrived(5, 6000);
    expect(late.lightOnly).toBe(false);
  });
});

describe('round', () => {
  it('never reports -0 (a single chunk has no gap; latencies that are all 0 give a 0 maximum)', () => {
    expect(Object.is(round(-0), 0)).toBe(true);
    expect(round(1.23456)).toBe(1.235);
    const { t, frame } = timeline();
    t.arrived(5, 10);
    t.commitAt(10);
    frame(10);
    t.finishTimeline();
    expect(Object.is(round(t.gapMax), 0)).toBe(true);
    expect(Object.is(round(t.latencyHist.maxMs), 0)).toBe(true);
    expect(Object.is(round(t.latencyHist.quantile(0.5) as number), 0)).toBe(true);
  });
});
