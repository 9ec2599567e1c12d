// Main-thread blocking attributable to each SDK:
//  1. during a 10,000-chunk stream: long animation frames (LoAF, > 50 ms) and the SDK's script time inside
//     them, from the LoAF entries' `scripts[].sourceURL` (no profiler attached, so nothing inflates frames);
//  2. start-up: main-thread script time of the SDK's files (EvaluateScript = compile + run + init, plus any
//     FunctionCall in them) from a Chromium trace of the page load + 1 s, against the blank page's own.
// `node bench/main-thread.mjs [--runs 3] [--streams 1] [--chunks 10000] [--sdks ...] [--transports ...]`
import { launchChromium } from './lib/browser.mjs';
import { browserScripts, oursBuilt } from './lib/sdks.mjs';
import { startBenchServer } from './lib/server.mjs';
import { measureStream, sdkUrlMatcher, TRANSPORTS } from './lib/stream-run.mjs';
import { parseArgs } from './lib/args.mjs';
import { median, printTable } from './lib/table.mjs';
import { SDKS } from './chunk-overhead.mjs';

const LONG_MS = 50;
const TAIL_MS = 600;

/** LoAFs > 50 ms from the stream's start until the export tail ends, and the SDK's share in them. */
export function loafSummary(result) {
  const isSdk = sdkUrlMatcher(result.sdk);
  const { start, end } = result.streamWindow;
  const frames = (result.loafs ?? []).filter((f) => f.startTime >= start && f.startTime <= end + TAIL_MS && f.duration > LONG_MS);
  let sdkFrames = 0;
  let sdkScriptMs = 0;
  const invokers = [];
  for (const frame of frames) {
    const scripts = frame.scripts.filter((s) => isSdk(s.sourceURL));
    const ms = scripts.reduce((sum, s) => sum + s.duration, 0);
    if (ms > 0) sdkFrames++;
    sdkScriptMs += ms;
    for (const s of scripts) invokers.push({ invoker: s.invoker, file: s.sourceURL.split('/').pop(), ms: s.duration });
  }
  return { frames: frames.length, sdkFrames, sdkScriptMs, longestMs: Math.max(0, ...frames.map((f) => f.duration)), invokers };
}

/** Main-thread script time (ms) of the page's own scripts during load + 1 s, split SDK / everything. */
export async function startupScriptTime(browser, server, sdk) {
  const ctx = await browser.newContext();
  const pg = await ctx.newPage();
  try {
    await browser.startTracing(pg, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    await pg.goto(`${server.url}/page?sdk=${sdk}`, { waitUntil: 'load' });
    await pg.waitForFunction(() => window.benchReady === true);
    await pg.waitForTimeout(1000);
    const { traceEvents } = JSON.parse((await browser.stopTracing()).toString('utf8'));
    const events = traceEvents
      .filter((e) => e.ph === 'X' && (e.name === 'EvaluateScript' || e.name === 'FunctionCall'))
      .map((e) => ({ ...e, url: e.args?.data?.url ?? '' }))
      .filter((e) => e.url.startsWith(server.url))
      .sort((a, b) => a.ts - b.ts);
    const isSdk = sdkUrlMatcher(sdk);
    let sdkUs = 0;
    let pageUs = 0;
    let sdkWallUs = 0;
    const ends = new Map();
    for (const e of events) {
      const key = `${e.pid}:${e.tid}`;
      if (e.ts < (ends.get(key) ?? 0)) continue; // nested in an event already counted
      ends.set(key, e.ts + e.dur);
      // Thread (CPU) time, not wall time: on shared cores a descheduled main thread inflates `dur`.
      const cpu = e.tdur ?? e.dur;
      pageUs += cpu;
      if (isSdk(e.url)) {
        sdkUs += cpu;
        sdkWallUs += e.dur;
      }
    }
    return { sdkMs: sdkUs / 1000, pageMs: pageUs / 1000, sdkWallMs: sdkWallUs / 1000 };
  } finally {
    await ctx.close();
  }
}

export async function runMainThread({ runs, streams, chunks, sdks, transports, log = () => {} }) {
  const scripts = await browserScripts(['none', ...sdks]);
  const server = await startBenchServer(scripts);
  const browser = await launchChromium();
  const startups = [];
  const loafs = [];
  try {
    for (let run = 0; run < runs; run++) {
      const order = run % 2 === 0 ? ['none', ...sdks] : ['none', ...[...sdks].reverse()];
      for (const sdk of order) {
        const s = await startupScriptTime(browser, server, sdk);
        startups.push({ sdk, ...s });
        log(`start-up ${sdk.padEnd(11)} sdk ${s.sdkMs.toFixed(2)} ms CPU (${s.sdkWallMs.toFixed(2)} ms wall)  page ${s.pageMs.toFixed(2)} ms CPU`);
      }
    }
    for (let run = 0; run < streams; run++) {
      for (const sdk of sdks) {
        for (const transport of transports) {
          const r = await measureStream({ browser, server, sdk, transport, chunks, tailMs: TAIL_MS, profile: false });
          const summary = loafSummary(r);
          loafs.push({ sdk, transport, ...summary });
          log(`stream ${sdk.padEnd(11)} ${transport.padEnd(11)} LoAF>50ms ${summary.frames}, with SDK script ${summary.sdkFrames}, SDK ${summary.sdkScriptMs.toFixed(0)} ms`);
        }
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return { scripts, startups, loafs };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const opts = parseArgs(process.argv.slice(2), { runs: 3, streams: 1, chunks: 10000, sdks: SDKS, transports: TRANSPORTS });
  if (!oursBuilt()) opts.sdks = opts.sdks.filter((s) => s !== 'streamtrace');
  const started = performance.now();
  const { scripts, startups, loafs } = await runMainThread({ ...opts, log: (line) => console.error(line) });
  const blank = median(startups.filter((s) => s.sdk === 'none').map((s) => s.pageMs));
  console.log(`\nStart-up: main-thread CPU time of the SDK files' scripts during load + 1 s (compile + run + init), median of ${opts.runs} (min–max)\n`);
  printTable(
    ['SDK (quick start)', 'SDK CPU ms', 'SDK wall ms', 'page script CPU ms', '÷ blank page'],
    ['none', ...opts.sdks].map((sdk) => {
      const rows = startups.filter((s) => s.sdk === sdk);
      const page = median(rows.map((s) => s.pageMs));
      const cpu = rows.map((s) => s.sdkMs);
      return [scripts.get(sdk).label, `${median(cpu).toFixed(1)} (${Math.min(...cpu).toFixed(1)}–${Math.max(...cpu).toFixed(1)})`, median(rows.map((s) => s.sdkWallMs)).toFixed(1), page.toFixed(2), `${(page / blank).toFixed(1)}×`];
    }),
  );
  console.log(`\nLong animation frames (> ${LONG_MS} ms) during a ${opts.chunks}-chunk stream + ${TAIL_MS} ms export tail: all / with SDK script / SDK script ms in them\n`);
  printTable(
    ['SDK (quick start)', ...opts.transports],
    opts.sdks.map((sdk) => [
      scripts.get(sdk).label,
      ...opts.transports.map((t) => {
        const rows = loafs.filter((l) => l.sdk === sdk && l.transport === t);
        return `${median(rows.map((l) => l.frames))} / ${median(rows.map((l) => l.sdkFrames))} / ${median(rows.map((l) => l.sdkScriptMs)).toFixed(0)} ms`;
      }),
    ]),
  );
  const ours = loafs.filter((l) => l.sdk === 'streamtrace').flatMap((l) => l.invokers.map((i) => ({ ...i, transport: l.transport })));
  if (ours.length > 0) {
    console.log('\nStreamtrace script entries inside those long frames (LoAF invoker), longest first\n');
    printTable(['transport', 'invoker', 'file', 'ms'], ours.sort((a, b) => b.ms - a.ms).slice(0, 10).map((i) => [i.transport, i.invoker, i.file, i.ms.toFixed(0)]));
  }
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
