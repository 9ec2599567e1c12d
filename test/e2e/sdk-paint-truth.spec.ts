import { expect, test, type Page } from '@playwright/test';
import { measurePaintTruth, startPaintServer } from './fixtures/chromium-frames.mjs';
import type { ChunkRow, PaintServer, PaintTruth } from './fixtures/chromium-frames.mjs';

// Chromium's own truth (measuring.md, "When was a chunk painted?"): the renderer's first main-thread
// `Commit` after a chunk's DOM change carries a frameSeqId; that frame's PipelineReporter
// (STATE_PRESENTED_ALL) ends at presentation (= Display::FrameDisplayed). Headless frames come from a
// 16.67 ms timer. The SDK's estimate is a zero-delay timer set inside rAF (it fires when the main
// thread's commit ends, before raster and swap) plus Chromium's commit → presentation time as learnt
// from Element Timing: before its first sample it is early by that pipeline (at most about one frame
// when undisturbed), and it is late when the main thread is busy right after the commit or Chromium
// just switched to presenting sooner.
const FRAME_MS = 1000 / 60;
const COUNT = 150;
// The page clock is coarsened to ~100 µs and fitted to the trace clock over ~150 marks. A fit
// whose marks spread wider (the renderer descheduled between a mark and its trace event) makes
// the stream unusable as a ruler: it is measured again, as a disturbed one is.
const CLOCK_MS = 0.5;
// On these shared 2-core machines another engineer's build can deschedule the GPU process or the
// renderer for tens of ms: the frame-level bounds judge only chunks whose frames Chromium handled
// undisturbed, and a stream where over a tenth were disturbed is measured again (up to this many
// streams); the structural checks hold on every one.
const ATTEMPTS = 3;
// Presentation comes from a 16.67 ms timer whose ticks jitter by ~2 ms on this machine.
const JITTER_MS = 2.5;

let server: PaintServer;
test.beforeAll(async () => {
  // PAINT_TRUTH_SDK_FILE: check another build of the script-tag SDK (e.g. a deliberately broken one).
  server = await startPaintServer({ sdkFile: process.env.PAINT_TRUTH_SDK_FILE });
});
test.afterAll(async () => server.close());

const fmt = (r: PaintTruth): string =>
  `${r.transport}: median ${r.summary.median.toFixed(2)} ms, p5 ${r.summary.p5.toFixed(2)}, p95 ${r.summary.p95.toFixed(2)}, max |err| ${r.summary.maxAbs.toFixed(2)}, within a frame ${(r.summary.withinFrame * 100).toFixed(1)}%`;

/** The page-to-trace clock fit is tight enough to judge milliseconds; otherwise the attempt is noted. */
function clockFits(r: PaintTruth, attempts: string[]): boolean {
  if (r.clock.spreadMs < CLOCK_MS) return true;
  attempts.push(`${r.transport}: page-to-trace clock fit spread ${r.clock.spreadMs.toFixed(2)} ms (over ${CLOCK_MS} ms): measured again`);
  return false;
}

/** What must hold on any machine: nothing invented, nothing lost, nothing painted too early. */
function expectSound(r: PaintTruth, count = COUNT): void {
  expect(r.visibility).toBe('visible');
  expect(r.clock.spreadMs).toBeLessThan(CLOCK_MS);
  // Chromium presented the frame of every chunk; its PipelineReporter end is a Display::FrameDisplayed
  // (two of Chromium's sources agree; under heavy load a few may not line up exactly).
  expect(r.rows.filter((row) => row.presentedMs !== undefined)).toHaveLength(count);
  expect(r.rows.filter((row) => row.displayed).length).toBeGreaterThanOrEqual(count * 0.95);
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
 * Chunks of frames Chromium handled undisturbed: presented within one frame (+ jitter) of the commit
 * (same or next vsync; later means the GPU process ran late), and the renderer kept committing frames
 * afterwards (no later DOM change waited over two frames for a commit: a descheduled renderer runs
 * our message after the commit late too). Machine load on these shared cores causes both.
 */
function undisturbed(r: PaintTruth): ChunkRow[] {
  return r.rows.filter((row) => {
    if ((row.lagMs as number) > FRAME_MS + JITTER_MS) return false;
    const next = r.frames.find((f) => f.commitMs > (row.commitMs as number));
    const nextAt = next === undefined ? Infinity : next.commitMs;
    return !r.rows.some((other) => other.domMs > (row.commitMs as number) && other.domMs < nextAt - 2 * FRAME_MS);
  });
}

// The SDK learns from Chromium's Element Timing entries of its probe how long after our paint probe it
// presents a frame (2–3 ms, or 14–15 ms when it presents at the next vsync; it can switch within a
// load): median errors are judged after its first samples (chunk FROM_CHUNK on).
const FROM_CHUNK = 60;
// Element Timing's presentationTime is coarsened to 4 ms (±2 around the SDK's correction), plus our
// probe's own jitter: a stream's median error stays within this, in both of Chromium's modes.
const FEW_MS = 5;

/** The SDK takes its probe off the page (after the entry, at most 300 ms): the page is as the app made it. */
async function expectNoProbeLeft(page: Page): Promise<void> {
  await expect.poll(() => page.evaluate(() => document.querySelectorAll('[elementtiming], streamtrace').length), { timeout: 3000 }).toBe(0);
}

for (const transport of ['eventsource', 'fetch'] as const) {
  test(`${transport}: one growing text block: every chunk's paint time lies in the frame Chromium presented it in, and a stream's median is within a few ms of its presentation whatever its mode`, async ({ page }) => {
    const attempts: string[] = [];
    let result: PaintTruth | undefined;
    let judged: ChunkRow[] = [];
    for (let attempt = 0; attempt < ATTEMPTS && result === undefined; attempt++) {
      const r = await measurePaintTruth(page, { baseUrl: server.url, transport, count: COUNT });
      if (!clockFits(r, attempts)) continue;
      expectSound(r);
      judged = undisturbed(r);
      attempts.push(`${fmt(r)}; undisturbed frames for ${judged.length}/${COUNT} chunks`);
      if (judged.length >= COUNT * 0.9) result = r;
    }
    for (const line of attempts) test.info().annotations.push({ type: 'paint − presentation', description: line });
    console.log(attempts.join('\n'));
    expect(result, `Chromium's own pipeline or the clock fit was disturbed (machine load) in all ${ATTEMPTS} streams:\n${attempts.join('\n')}`).toBeDefined();

    // Judged on the chunks whose frames Chromium handled undisturbed. The earlier side is bounded by
    // expectSound (paint ≥ that frame's commit, i.e. at most the commit → presentation time early).
    // The later side: the estimate fires when the frame's commit ends, before raster and swap, so
    // it is not after the presentation by a frame — not even one chunk by two frames (a busy main
    // thread can delay our message by up to a frame on these shared cores), and the median not by
    // half a frame (the SDK timing the next frame instead would put it near +15 ms).
    const painted = judged.filter((row) => row.paintSource === 'raf');
    for (const row of painted) expect(row.errorMs as number, `chunk ${row.index} (frame ${row.frameSeqId})`).toBeLessThan(2 * FRAME_MS);
    const errors = painted.map((row) => row.errorMs as number);
    expect(errors.filter((error) => error < FRAME_MS).length / errors.length).toBeGreaterThanOrEqual(0.95);
    const sorted = [...errors].sort((x, y) => x - y);
    expect(sorted[sorted.length >> 1] as number).toBeLessThan(FRAME_MS / 2);
    // One growing text block: the SDK learns Chromium's pipeline from its own probe's Element Timing
    // entries (nothing of the app's is new). Before it did, the median was about −14 ms in every
    // page load where Chromium presented at the next vsync (a frame early).
    const learnt = painted.filter((row) => row.index >= FROM_CHUNK).map((row) => row.errorMs as number).sort((x, y) => x - y);
    const median = learnt[learnt.length >> 1] as number;
    expect(median, attempts[attempts.length - 1]).toBeGreaterThan(-FEW_MS);
    expect(median, attempts[attempts.length - 1]).toBeLessThan(FEW_MS);
    await expectNoProbeLeft(page);
  });
}

/** Chromium's mode for the judged chunks: the median commit → presentation of their frames. */
function chromiumMode(rows: ChunkRow[]): { lagMs: number; mode: string } {
  const lags = rows.map((row) => row.lagMs as number).sort((x, y) => x - y);
  // NaN when no chunk was judged (every frame disturbed): the attempt is noted and measured again.
  const lagMs = lags[lags.length >> 1] ?? NaN;
  return { lagMs, mode: Number.isNaN(lagMs) ? 'unjudged' : lagMs > FRAME_MS / 2 ? 'next-vsync' : 'same-frame' };
}

// A new paragraph every 20 chunks, as a markdown renderer makes. Streams of PARAGRAPH_COUNT chunks.
const PARAGRAPH_COUNT = 300;

for (const transport of ['eventsource', 'fetch'] as const) {
  test(`${transport}, paragraphs: a stream's median paint time is within a few ms of Chromium's presentation whatever its mode, and the page keeps no probe`, async ({ page }) => {
    const attempts: string[] = [];
    let result: PaintTruth | undefined;
    let judged: ChunkRow[] = [];
    for (let attempt = 0; attempt < ATTEMPTS && result === undefined; attempt++) {
      const r = await measurePaintTruth(page, { baseUrl: server.url, transport, count: PARAGRAPH_COUNT, layout: 'paragraphs' });
      if (!clockFits(r, attempts)) continue;
      expectSound(r, PARAGRAPH_COUNT);
      await expectNoProbeLeft(page);
      judged = undisturbed(r).filter((row) => row.index >= FROM_CHUNK && row.paintSource === 'raf');
      const { lagMs, mode } = chromiumMode(judged);
      const errors = judged.map((row) => row.errorMs as number).sort((x, y) => x - y);
      attempts.push(`${fmt(r)}; Chromium ${mode} (commit → presentation ${lagMs.toFixed(1)} ms); judged median ${(errors[errors.length >> 1] ?? NaN).toFixed(2)} ms over ${judged.length} chunks`);
      if (judged.length >= (PARAGRAPH_COUNT - FROM_CHUNK) * 0.9) result = r;
    }
    for (const line of attempts) test.info().annotations.push({ type: 'paint − presentation', description: line });
    console.log(attempts.join('\n'));
    expect(result, `Chromium's own pipeline or the clock fit was disturbed (machine load) in all ${ATTEMPTS} streams:\n${attempts.join('\n')}`).toBeDefined();

    const errors = judged.map((row) => row.errorMs as number).sort((x, y) => x - y);
    const median = errors[errors.length >> 1] as number;
    // The old estimate (the probe alone) was about −14 ms here whenever Chromium presented at the next vsync.
    expect(median, attempts[attempts.length - 1]).toBeGreaterThan(-FEW_MS);
    expect(median, attempts[attempts.length - 1]).toBeLessThan(FEW_MS);
    // Chunk by chunk: within a frame of the presentation for nearly all (a switch of Chromium's mode
    // is followed after two samples), and no chunk 3 frames late (the offset is at most 2 frames; our
    // probe itself can run up to a frame late on these shared cores).
    expect(errors.filter((error) => Math.abs(error) <= FRAME_MS).length / errors.length, attempts[attempts.length - 1]).toBeGreaterThanOrEqual(0.85);
    for (const row of judged) expect(row.errorMs as number, `chunk ${row.index} (frame ${row.frameSeqId})`).toBeLessThan(3 * FRAME_MS);
  });
}
