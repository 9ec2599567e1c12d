import { expect, test } from '@playwright/test';
import { measurePaintTruth, startPaintServer } from './fixtures/chromium-frames.mjs';
import type { ChunkRow, PaintServer, PaintTruth } from './fixtures/chromium-frames.mjs';

// Chromium's own truth (measuring.md, "When was a chunk painted?"): the renderer's first main-thread
// `Commit` after a chunk's DOM change carries a frameSeqId; that frame's PipelineReporter
// (STATE_PRESENTED_ALL) ends at presentation (= Display::FrameDisplayed). Headless frames come from a
// 16.67 ms timer. The SDK's estimate is a MessageChannel message posted inside rAF: it fires when the
// main thread's commit ends, before raster and swap, so it is early by Chromium's commit → presentation
// pipeline (at most about one frame when the pipeline is undisturbed) and late only when the main
// thread is busy right after the commit.
const FRAME_MS = 1000 / 60;
const COUNT = 150;
// The page clock is coarsened to ~100 µs and fitted to the trace clock over ~150 marks.
const CLOCK_MS = 0.5;
// On these shared 2-core machines another engineer's build can deschedule the GPU process or the
// renderer for tens of ms: a stream where Chromium itself presented frames late is measured again
// (up to this many streams); the structural checks hold on every one.
const ATTEMPTS = 3;
const JITTER_MS = 2.5;

let server: PaintServer;
test.beforeAll(async () => {
  server = await startPaintServer();
});
test.afterAll(async () => server.close());

const fmt = (r: PaintTruth): string =>
  `${r.transport}: median ${r.summary.median.toFixed(2)} ms, p5 ${r.summary.p5.toFixed(2)}, p95 ${r.summary.p95.toFixed(2)}, max |err| ${r.summary.maxAbs.toFixed(2)}, within a frame ${(r.summary.withinFrame * 100).toFixed(1)}%, on-time frames ${r.summary.onTime}/${r.count}`;

/** What must hold on any machine: nothing invented, nothing lost, nothing painted too early. */
function expectSound(r: PaintTruth): ChunkRow[] {
  expect(r.visibility).toBe('visible');
  expect(r.clock.spreadMs).toBeLessThan(CLOCK_MS);
  // Chromium presented the frame of every chunk (Commit → PipelineReporter → FrameDisplayed agree).
  expect(r.rows.filter((row) => row.presentedMs !== undefined)).toHaveLength(COUNT);
  expect(r.rows.every((row) => row.displayed)).toBe(true);
  // As many chunks got a paint time as Chromium presented.
  const painted = r.rows.filter((row) => row.paintSource === 'raf' && row.paintMs !== undefined);
  expect(painted).toHaveLength(r.summary.presented);
  for (const row of painted) {
    const at = `chunk ${row.index} (frame ${row.frameSeqId})`;
    const paint = row.paintMs as number;
    expect(row.sdkCommitMs as number, at).toBeGreaterThanOrEqual(row.arrivalMs as number);
    expect(paint, at).toBeGreaterThanOrEqual(row.sdkCommitMs as number);
    // Never before its own DOM change, nor before Chromium committed the frame that carries it.
    expect(paint, at).toBeGreaterThan(row.domMs - CLOCK_MS);
    expect(paint, at).toBeGreaterThan((row.commitMs as number) - CLOCK_MS);
  }
  return painted;
}

/** Chunks whose frame Chromium presented within two frames of its commit (an undisturbed pipeline). */
const onTime = (rows: ChunkRow[]): ChunkRow[] => rows.filter((row) => (row.lagMs as number) <= 2 * FRAME_MS);

for (const transport of ['eventsource', 'fetch'] as const) {
  test(`${transport}: every chunk's paint time lies within a frame of Chromium's presentation`, async ({ page }) => {
    const attempts: string[] = [];
    let judged: ChunkRow[] = [];
    let result: PaintTruth | undefined;
    for (let attempt = 0; attempt < ATTEMPTS && result === undefined; attempt++) {
      const r = await measurePaintTruth(page, { baseUrl: server.url, transport, count: COUNT });
      const painted = expectSound(r);
      attempts.push(fmt(r));
      judged = onTime(painted);
      if (judged.length >= COUNT * 0.95) result = r;
    }
    for (const line of attempts) test.info().annotations.push({ type: 'paint − presentation', description: line });
    console.log(attempts.join('\n'));
    expect(result, `Chromium's own pipeline was disturbed (machine load) in ${ATTEMPTS} streams:\n${attempts.join('\n')}`).toBeDefined();

    for (const row of judged) {
      // Never a frame after Chromium's presentation (that would be a later frame's paint); the
      // earlier side is bounded by expectSound (paint ≥ that frame's commit).
      expect(row.errorMs as number, `chunk ${row.index} (frame ${row.frameSeqId})`).toBeLessThan(FRAME_MS);
    }
    // Within one frame of presentation, with the margin of a timer-driven frame clock on a shared
    // machine (presentation intervals jitter by ~2 ms here).
    const within = judged.filter((row) => Math.abs(row.errorMs as number) <= FRAME_MS + JITTER_MS).length;
    expect(within / judged.length).toBeGreaterThanOrEqual(0.95);
    // Not "a few ms": in about one stream in four Chromium presents each frame at the next vsync
    // (commit → presentation ~15 ms instead of ~3 ms) and the median is −14 ms; see the report.
    expect(Math.abs((result as PaintTruth).summary.median)).toBeLessThan(FRAME_MS);
  });
}
