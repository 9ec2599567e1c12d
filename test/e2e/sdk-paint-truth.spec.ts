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
// Presentation comes from a 16.67 ms timer whose ticks jitter by ~2 ms on this machine.
const JITTER_MS = 2.5;

let server: PaintServer;
test.beforeAll(async () => {
  server = await startPaintServer();
});
test.afterAll(async () => server.close());

const fmt = (r: PaintTruth): string =>
  `${r.transport}: median ${r.summary.median.toFixed(2)} ms, p5 ${r.summary.p5.toFixed(2)}, p95 ${r.summary.p95.toFixed(2)}, max |err| ${r.summary.maxAbs.toFixed(2)}, within a frame ${(r.summary.withinFrame * 100).toFixed(1)}%, presented ≤ 19.2 ms after commit: ${r.summary.onTime}/${r.count}`;

/** What must hold on any machine: nothing invented, nothing lost, nothing painted too early. */
function expectSound(r: PaintTruth): void {
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
}

/**
 * A frame Chromium presented within one frame (+ jitter) of its commit: an undisturbed pipeline
 * (presentation at the same or the next vsync). Later frames mean the GPU process ran late.
 */
const onTime = (row: ChunkRow): boolean => (row.lagMs as number) <= FRAME_MS + JITTER_MS;

/**
 * Why Chromium's own pipeline was disturbed during the stream (machine load), if it was: more than
 * a tenth of the chunks in frames presented late (see onTime), or a gap of
 * more than 2.5 frames between the renderer's commits while chunks kept changing the DOM every few
 * ms (the renderer was descheduled, so our message after its commit ran late too).
 */
function disturbance(r: PaintTruth): string | undefined {
  const late = r.rows.filter((row) => !onTime(row));
  if (late.length > COUNT / 10) return `${late.length} chunks' frames presented up to ${Math.max(...late.map((row) => row.lagMs as number)).toFixed(1)} ms after their commit`;
  const first = (r.rows[0] as ChunkRow).domMs;
  const last = (r.rows[r.rows.length - 1] as ChunkRow).domMs;
  const commits = r.frames.filter((f) => f.commitMs >= first && f.commitMs <= last).map((f) => f.commitMs);
  let gap = 0;
  for (let i = 1; i < commits.length; i++) gap = Math.max(gap, (commits[i] as number) - (commits[i - 1] as number));
  if (gap > 2.5 * FRAME_MS) return `renderer commits ${gap.toFixed(1)} ms apart`;
  return undefined;
}

for (const transport of ['eventsource', 'fetch'] as const) {
  test(`${transport}: every chunk's paint time lies in the frame Chromium presented it in, between its commit and presentation + 1 frame`, async ({ page }) => {
    const attempts: string[] = [];
    let result: PaintTruth | undefined;
    for (let attempt = 0; attempt < ATTEMPTS && result === undefined; attempt++) {
      const r = await measurePaintTruth(page, { baseUrl: server.url, transport, count: COUNT });
      expectSound(r);
      const disturbed = disturbance(r);
      attempts.push(`${fmt(r)}${disturbed ? ` — disturbed: ${disturbed}` : ''}`);
      if (disturbed === undefined) result = r;
    }
    for (const line of attempts) test.info().annotations.push({ type: 'paint − presentation', description: line });
    console.log(attempts.join('\n'));
    expect(result, `Chromium's own pipeline was disturbed (machine load) in all ${ATTEMPTS} streams:\n${attempts.join('\n')}`).toBeDefined();

    // Judged on the chunks of frames Chromium itself presented on time.
    const painted = (result as PaintTruth).rows.filter((row) => row.paintSource === 'raf' && onTime(row));
    for (const row of painted) {
      // Never a frame after Chromium's presentation (that would be a later frame's paint); the
      // earlier side is bounded by expectSound (paint ≥ that frame's commit).
      expect(row.errorMs as number, `chunk ${row.index} (frame ${row.frameSeqId})`).toBeLessThan(FRAME_MS);
    }
    // Not asserted: "median error a few ms". The error's median is bimodal per page load: about
    // −1.5 ms when Chromium presents a frame ~3 ms after its commit, about −14 ms in the streams
    // (~1 in 4) where it presents at the next vsync; the SDK cannot see which (see the report).
  });
}
