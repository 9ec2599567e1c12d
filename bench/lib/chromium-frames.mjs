// Chromium's own paint truth from a CDP trace (docs: /work/shared/context/measuring.md, "When was a
// chunk painted?"): after a DOM change the renderer's next main-thread `Commit` carries a `frameSeqId`;
// that frame's `PipelineReporter` (state STATE_PRESENTED_ALL) ends at presentation, which equals
// `Display::FrameDisplayed`. Plain JS so both the bench and the Playwright spec use it.

/** Categories carrying Commit (devtools.timeline), PipelineReporter (.frame), marks and FrameDisplayed. */
export const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'blink.user_timing',
  'benchmark',
  'viz',
  'cc',
  'disabled-by-default-display.framedisplayed',
];

/** One headless frame interval: frames come from a 16.67 ms timer. */
export const FRAME_MS = 1000 / 60;
/**
 * An undisturbed pipeline presents a frame at the same or the next vsync after its commit; the timer's
 * ticks jitter by ~2 ms on these machines. Later means the GPU process ran late (machine load).
 */
export const ON_TIME_MS = FRAME_MS + 2.5;

/** Starts a trace on a CDP session (Playwright's CDPSession); `stop()` resolves with every event. */
export async function startTrace(cdp, categories = TRACE_CATEGORIES) {
  const events = [];
  const onData = (message) => {
    for (const event of message.value) events.push(event);
  };
  cdp.on('Tracing.dataCollected', onData);
  await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: categories } });
  return {
    async stop() {
      const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.end');
      await complete;
      cdp.off('Tracing.dataCollected', onData);
      return events;
    },
  };
}

/** The renderer main thread that emitted the page's `performance.mark(name)`. */
export function pageThread(events, markName) {
  const mark = events.find((e) => e.cat === 'blink.user_timing' && e.name === markName);
  if (mark === undefined) throw new Error(`no trace event for performance.mark('${markName}'): blink.user_timing missing?`);
  return { pid: mark.pid, tid: mark.tid };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Offset between the page's clock (`performance.now()` ms) and the trace clock (ts µs → ms), fitted
 * over marks the page knows the startTime of: traceMs = pageMs + offsetMs. `spreadMs` is the largest
 * deviation of one mark from the fit (the page clock is coarsened to ~100 µs).
 * @param {{ name: string, startTime: number }[]} marks
 */
export function fitClock(events, thread, marks) {
  const byName = new Map();
  for (const e of events) {
    if (e.cat === 'blink.user_timing' && e.pid === thread.pid && (e.ph === 'I' || e.ph === 'R' || e.ph === 'n')) byName.set(e.name, e.ts / 1000);
  }
  const diffs = [];
  for (const m of marks) {
    const ts = byName.get(m.name);
    if (ts !== undefined) diffs.push(ts - m.startTime);
  }
  if (diffs.length === 0) throw new Error('no page mark found in the trace');
  const offsetMs = median(diffs);
  return { offsetMs, marks: diffs.length, spreadMs: Math.max(...diffs.map((d) => Math.abs(d - offsetMs))), markTs: byName };
}

/**
 * The renderer's main-thread commits, in time order, each with its frame's presentation:
 * `{ frameSeqId, layerTreeId, commitMs, commitEndMs, state, presentedMs?, displayed }` (trace ms).
 * `displayed`: a `Display::FrameDisplayed` has exactly that timestamp.
 */
export function renderedFrames(events, thread) {
  const reporters = new Map(); // `${layerTree}:${seq}` → { state, endMs }
  const open = new Map();
  const displayed = new Set();
  for (const e of [...events].sort((a, b) => a.ts - b.ts)) {
    if (e.name === 'Display::FrameDisplayed') displayed.add(e.ts);
    if (e.name !== 'PipelineReporter' || e.pid !== thread.pid) continue;
    const key = `${e.id2?.local ?? e.id2?.global ?? e.id}`;
    if (e.ph === 'b') open.set(key, e);
    else if (e.ph === 'e') {
      const begin = open.get(key);
      open.delete(key);
      const r = begin?.args?.frame_reporter ?? begin?.args?.chrome_frame_reporter;
      if (r === undefined) continue;
      reporters.set(`${r.layer_tree_host_id}:${r.frame_sequence}`, { state: r.state, endTs: e.ts });
    }
  }
  return events
    .filter((e) => e.name === 'Commit' && e.ph === 'X' && e.pid === thread.pid && e.tid === thread.tid && e.args?.frameSeqId !== undefined)
    .sort((a, b) => a.ts - b.ts)
    .map((e) => {
      const r = reporters.get(`${e.args.layerTreeId}:${e.args.frameSeqId}`);
      const presented = r?.state === 'STATE_PRESENTED_ALL';
      return {
        frameSeqId: e.args.frameSeqId,
        layerTreeId: e.args.layerTreeId,
        commitMs: e.ts / 1000,
        commitEndMs: (e.ts + (e.dur ?? 0)) / 1000,
        state: r?.state ?? 'NO_REPORTER',
        ...(presented ? { presentedMs: r.endTs / 1000 } : {}),
        displayed: presented && displayed.has(r.endTs),
      };
    });
}

/**
 * Per chunk: the page's DOM change (its mark `${prefix}${index}`, trace ms), the first commit after
 * it, that frame's presentation, and the SDK's own times converted to trace ms.
 * @param {{ index: number, arrivalMs: number, commitMs?: number, paintMs?: number, paintSource?: string }[]} sdkChunks epoch ms
 */
export function matchChunks({ clock, frames, sdkChunks, timeOrigin, prefix, count }) {
  const toTrace = (epochMs) => (epochMs === undefined ? undefined : epochMs - timeOrigin + clock.offsetMs);
  const byIndex = new Map(sdkChunks.map((c) => [c.index, c]));
  const rows = [];
  let f = 0;
  for (let index = 0; index < count; index++) {
    const domMs = clock.markTs.get(`${prefix}${index}`);
    const sdk = byIndex.get(index);
    if (domMs === undefined) throw new Error(`chunk ${index}: no DOM-change mark in the trace`);
    while (f < frames.length && frames[f].commitMs <= domMs) f++;
    const frame = frames[f];
    const paintMs = toTrace(sdk?.paintMs);
    rows.push({
      index,
      domMs,
      arrivalMs: toTrace(sdk?.arrivalMs),
      sdkCommitMs: toTrace(sdk?.commitMs),
      paintMs,
      paintSource: sdk?.paintSource,
      frameSeqId: frame?.frameSeqId,
      frameState: frame?.state,
      commitMs: frame?.commitMs,
      commitEndMs: frame?.commitEndMs,
      presentedMs: frame?.presentedMs,
      displayed: frame?.displayed ?? false,
      // Chromium's own commit → presentation time for that frame (machine load stretches it).
      lagMs: frame?.presentedMs !== undefined ? frame.presentedMs - frame.commitMs : undefined,
      errorMs: paintMs !== undefined && frame?.presentedMs !== undefined ? paintMs - frame.presentedMs : undefined,
    });
  }
  return rows;
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];

/** Distribution of (our paint − Chromium's presentation) over the rows that have both. */
export function errorSummary(rows) {
  const errors = rows.map((r) => r.errorMs).filter((e) => e !== undefined).sort((a, b) => a - b);
  return {
    n: errors.length,
    median: median(errors),
    p5: quantile(errors, 0.05),
    p95: quantile(errors, 0.95),
    maxAbs: errors.length ? Math.max(...errors.map(Math.abs)) : NaN,
    withinFrame: errors.length ? errors.filter((e) => Math.abs(e) <= FRAME_MS).length / errors.length : NaN,
    painted: rows.filter((r) => r.paintMs !== undefined).length,
    presented: rows.filter((r) => r.presentedMs !== undefined).length,
    /** Chunks whose frame Chromium presented within ON_TIME_MS of its commit. */
    onTime: rows.filter((r) => r.lagMs !== undefined && r.lagMs <= ON_TIME_MS).length,
  };
}
