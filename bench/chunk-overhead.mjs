// Per-chunk cost of each SDK while a page appends 10,000 streamed chunks to the DOM, over EventSource,
// WebSocket and streamed fetch. Method (docs/performance.md, measuring.md): V8 sampling profiler at 50 µs;
// the SDK's share = self time in the SDK's own script files / all non-idle sampled main-thread time
// ((program) and GC included). Median of N runs, SDK order alternating between runs; heap growth after GC.
// `node bench/chunk-overhead.mjs [--runs 3] [--chunks 10000] [--sdks streamtrace,otel-web,...] [--transports fetch] [--json]`
// `[--sample-rate R] [--keep-unsampled 0]`: our quick start with that `sampleRate` / `keepUnsampled` (docs/performance.md "Sampling").
// `[--hot-by-transport 1] [--hot-limit 10]`: also list our hottest functions per transport (that many), over the
// whole profile and at steady state (the middle half of the stream).
// `[--compare-dist DIR]`: also measure the IIFE in DIR (another build's sdk/dist) as `streamtrace-b`, in
// the same runs and alternating order as ours: a before/after comparison on equal machine load.
// The default rows end with three floors (`floor-intercept`, `floor-timestamp`, `floor-commit`; bench/quickstarts/floor.js):
// listener wrapping and the fetch body pipe alone, plus one stored timestamp per chunk, plus a DOM commit check per
// chunk — how much of a budget mere interception and the least per-chunk timing take on this page.
// `[--phases 1]`: also split each SDK's time over the stream: its first 5 %, 5–25 %, each later quarter and the
// 600 ms after it (where a fresh page's first executions of the SDK's code, and its end and export, fall).
// `[--prior-streams N]`: measure each page's (N+1)th stream, after N unmeasured ones of the same length and
// transport: a later answer of a chat, whose SDK code is already compiled (and may be thrown away and redone).
// `[--max-sample-us 1000]`: one profile sample counts for at most that long (a loaded machine deschedules the
// renderer; the gap would be charged to whichever function ran last). Default: no cap (the documented method).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchChromium } from './lib/browser.mjs';
import { browserScripts, FLOORS, oursBuilt } from './lib/sdks.mjs';
import { startBenchServer } from './lib/server.mjs';
import { measureStream, sdkUrlMatcher, TRANSPORTS } from './lib/stream-run.mjs';
import { parseArgs } from './lib/args.mjs';
import { median, printTable } from './lib/table.mjs';
import { hotFunctions, printHotFunctions } from './lib/hot-functions.mjs';
import { summarize } from './lib/profile.mjs';

export const SDKS = ['streamtrace', 'otel-web', 'honeycomb', 'faro', 'sentry', 'datadog'];
/** Rows that are no SDK but the least any per-chunk timer must do on this page (bench/quickstarts/floor.js). */
export const FLOOR_IDS = FLOORS.map((f) => f.id);

/** Our script-tag quick start with `sampleRate` / `keepUnsampled` added to its init options. */
function withSampling(scripts, sampleRate, keepUnsampled) {
  const init = scripts.get('streamtrace')?.files.find((f) => f.name === 'streamtrace-init.js');
  if (init === undefined || (sampleRate === undefined && keepUnsampled === undefined)) return;
  const extra = `${sampleRate !== undefined ? `sampleRate: ${Number(sampleRate)}, ` : ''}${keepUnsampled !== undefined ? `keepUnsampled: ${keepUnsampled !== '0' && keepUnsampled !== 'false'}, ` : ''}`;
  init.body = Buffer.from(init.body.toString('utf8').replace('propagateTo: [location.origin],', `propagateTo: [location.origin], ${extra}`));
}

/** Another build of our IIFE (e.g. the commit before a change) with our quick start, as SDK id `streamtrace-b`. */
function addComparison(scripts, dist) {
  const ours = scripts.get('streamtrace');
  if (ours === undefined) throw new Error('--compare-dist needs streamtrace in --sdks');
  const iife = join(resolve(dist), 'streamtrace.iife.js');
  scripts.set('streamtrace-b', {
    label: `Streamtrace (${dist})`,
    files: ours.files.map((f) => (f.name === 'streamtrace.iife.js' ? { name: f.name, body: readFileSync(iife), map: readFileSync(`${iife}.map`, 'utf8') } : f)),
  });
}

export async function runChunkOverhead({ runs, chunks, sdks, transports, sampleRate, keepUnsampled, compareDist, maxSampleUs = Infinity, priorStreams = 0, log = () => {} }) {
  const scripts = await browserScripts(['none', ...sdks.filter((s) => s !== 'streamtrace-b')]);
  withSampling(scripts, sampleRate, keepUnsampled);
  if (compareDist !== undefined) addComparison(scripts, compareDist);
  const server = await startBenchServer(scripts);
  const browser = await launchChromium();
  const results = [];
  try {
    for (let run = 0; run < runs; run++) {
      const order = run % 2 === 0 ? sdks : [...sdks].reverse();
      // The no-SDK page is the heap baseline and a sanity check (reads 0%): once is enough.
      for (const sdk of run === 0 ? ['none', ...order] : order) {
        for (const transport of transports) {
          const r = await measureStream({ browser, server, sdk, transport, chunks, maxSampleUs, priorStreams });
          results.push({ run, ...r });
          log(`run ${run + 1} ${sdk.padEnd(11)} ${transport.padEnd(11)} ${(r.summary.share * 100).toFixed(2).padStart(6)}%  busy ${(r.summary.busyUs / 1000).toFixed(0)} ms  stream ${r.streamMs.toFixed(0)} ms`);
        }
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return { scripts, results };
}

const pct = (x) => `${(x * 100).toFixed(2)}%`;

/** Fractions of the stream's duration; the last phase is everything after the stream (its end, the export). */
const PHASES = [[0, 0.05], [0.05, 0.25], [0.25, 0.5], [0.5, 0.75], [0.75, 1], [1, Infinity]];
const PHASE_NAMES = ['0–5 %', '5–25 %', '25–50 %', '50–75 %', '75–100 %', 'after'];

/** Per SDK and transport: median SDK self ms and share of busy time in each phase of the stream. */
export function phaseRows({ scripts, results }, { sdks, transports }, maxSampleUs) {
  const rows = [];
  for (const sdk of sdks) {
    for (const transport of transports) {
      const rs = results.filter((r) => r.sdk === sdk && r.transport === transport);
      const cells = PHASES.map(([from, to]) => {
        const parts = rs.map((r) => summarize(r.profile, sdkUrlMatcher(sdk), { maxSampleUs, window: [from * r.streamMs * 1000, to * r.streamMs * 1000] }));
        return `${(median(parts.map((p) => p.sdkUs)) / 1000).toFixed(1)} ms, ${pct(median(parts.map((p) => p.share)))}`;
      });
      rows.push([scripts.get(sdk).label, transport, ...cells]);
    }
  }
  return rows;
}

export function overheadTables({ scripts, results }, { sdks, transports, chunks }) {
  const pick = (sdk, transport) => results.filter((r) => r.sdk === sdk && r.transport === transport);
  const shareRows = sdks.map((sdk) => [
    scripts.get(sdk).label,
    ...transports.map((t) => {
      const shares = pick(sdk, t).map((r) => r.summary.share);
      return `${pct(median(shares))} (${pct(Math.min(...shares))}–${pct(Math.max(...shares))})`;
    }),
  ]);
  const usRows = sdks.map((sdk) => [
    scripts.get(sdk).label,
    ...transports.map((t) => (median(pick(sdk, t).map((r) => r.summary.sdkUs)) / chunks).toFixed(2)),
  ]);
  const heapRows = ['none', ...sdks].map((sdk) => [
    scripts.get(sdk).label,
    ...transports.map((t) => {
      const growth = median(pick(sdk, t).map((r) => r.heapGrowth));
      const base = median(pick('none', t).map((r) => r.heapGrowth));
      return sdk === 'none' ? `${(growth / 1024).toFixed(0)} KiB` : `${((growth - base) / chunks).toFixed(1)} B`;
    }),
  ]);
  const busyRows = ['none', ...sdks].map((sdk) => [
    scripts.get(sdk).label,
    ...transports.map((t) => `${(median(pick(sdk, t).map((r) => r.summary.busyUs)) / 1000).toFixed(0)} ms`),
  ]);
  const sinkRows = sdks.map((sdk) => [
    scripts.get(sdk).label,
    ...transports.map((t) => {
      const rs = pick(sdk, t);
      return `${median(rs.map((r) => r.sinkRequests))} req, ${(median(rs.map((r) => r.sinkBytes)) / 1024).toFixed(1)} KiB`;
    }),
  ]);
  const steadyRows = sdks.map((sdk) => [
    scripts.get(sdk).label,
    ...transports.map((t) => {
      const rs = pick(sdk, t);
      const shares = rs.map((r) => r.steady.share);
      // Chunks arrive at an even pace: the middle half of the stream holds about half of them.
      const us = median(rs.map((r) => r.steady.sdkUs)) / (chunks / 2);
      return `${pct(median(shares))} (${pct(Math.min(...shares))}–${pct(Math.max(...shares))}), ${us.toFixed(2)} µs`;
    }),
  ]);
  const rawRows = results.some((r) => r.rawShare !== undefined)
    ? sdks.map((sdk) => [scripts.get(sdk).label, ...transports.map((t) => pct(median(pick(sdk, t).map((r) => r.rawShare))))])
    : undefined;
  return { shareRows, usRows, heapRows, busyRows, sinkRows, rawRows, steadyRows };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const opts = parseArgs(process.argv.slice(2), { runs: 3, chunks: 10000, sdks: [...SDKS, ...FLOOR_IDS], transports: TRANSPORTS, json: false });
  if (!oursBuilt()) opts.sdks = opts.sdks.filter((s) => s !== 'streamtrace');
  if (opts['compare-dist'] !== undefined && !opts.sdks.includes('streamtrace-b')) opts.sdks = [...opts.sdks, 'streamtrace-b'];
  const started = performance.now();
  const maxSampleUs = opts['max-sample-us'] !== undefined ? Number(opts['max-sample-us']) : Infinity;
  const measured = await runChunkOverhead({ ...opts, compareDist: opts['compare-dist'], sampleRate: opts['sample-rate'], keepUnsampled: opts['keep-unsampled'], maxSampleUs, priorStreams: Number(opts['prior-streams'] ?? 0), log: (line) => console.error(line) });
  const t = overheadTables(measured, opts);
  const heads = ['SDK (quick start)', ...opts.transports];
  const capped = opts['max-sample-us'] !== undefined ? `, one sample counted for at most ${opts['max-sample-us']} µs` : '';
  console.log(`\nSDK self time / busy main-thread time, ${opts.chunks} chunks appended to the DOM, median of ${opts.runs} (min–max)${capped}\n`);
  printTable(heads, t.shareRows);
  if (t.rawRows) {
    console.log(`\nThe same profiles without the cap (the documented method), median\n`);
    printTable(heads, t.rawRows);
  }
  console.log(`\nSDK self time per chunk, µs (median)\n`);
  printTable(heads, t.usRows);
  console.log(`\nSteady state: the same share over the middle half of the stream only (no first executions of the SDK's code, no stream end or export), median (min–max), and µs per chunk there\n`);
  printTable(heads, t.steadyRows);
  if (opts.phases) {
    console.log(`\nSDK self time and its share of busy time by phase of the stream (share of its duration), median\n`);
    printTable(['SDK (quick start)', 'transport', ...PHASE_NAMES], phaseRows(measured, opts, maxSampleUs));
  }
  console.log(`\nV8 heap growth per chunk after GC, minus the no-SDK page (first row: the no-SDK page's own growth)\n`);
  printTable(heads, t.heapRows);
  console.log(`\nBusy (non-idle) sampled main-thread time per stream, median\n`);
  printTable(heads, t.busyRows);
  console.log(`\nPOSTs the SDK sent per page (load + one stream + unload), median\n`);
  printTable(heads, t.sinkRows);
  if (measured.scripts.has('streamtrace')) {
    console.log(`\nStreamtrace: top self-time functions over all runs and transports\n`);
    printHotFunctions(hotFunctions(measured, 'streamtrace'));
    if (measured.scripts.has('streamtrace-b')) {
      console.log(`\n${measured.scripts.get('streamtrace-b').label}: top self-time functions over all runs and transports\n`);
      printHotFunctions(hotFunctions(measured, 'streamtrace-b'));
    }
    if (opts['hot-by-transport'] && opts.transports.length > 1) {
      for (const transport of opts.transports) {
        const ofTransport = { ...measured, results: measured.results.filter((r) => r.transport === transport) };
        console.log(`\nStreamtrace: top self-time functions, ${transport}\n`);
        printHotFunctions(hotFunctions(ofTransport, 'streamtrace', Number(opts['hot-limit'] ?? 10)));
        console.log(`\nStreamtrace: top self-time functions at steady state (middle half of the stream), ${transport}\n`);
        printHotFunctions(hotFunctions(ofTransport, 'streamtrace', Number(opts['hot-limit'] ?? 10), 'steady'));
      }
    }
  }
  if (opts.json) console.log(JSON.stringify(measured.results.map(({ profile, loafs, summary, steady, ...r }) => ({ ...r, share: summary.share, sdkUs: summary.sdkUs, busyUs: summary.busyUs, steadyShare: steady.share })), null, 2));
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
