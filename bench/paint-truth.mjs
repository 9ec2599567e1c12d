// How close the SDK's per-chunk paint time is to Chromium's own presentation time, per transport.
// Method (measuring.md "When was a chunk painted?"): a plain page with only the script tag streams
// N chunks (2–10 ms apart, bursts of 5) and appends each to the DOM under a CDP trace; each chunk's
// frame is the renderer's first main-thread `Commit` after its DOM change (frameSeqId), its truth the
// end of that frame's PipelineReporter (STATE_PRESENTED_ALL) = Display::FrameDisplayed; our time is
// the DevTools hook's chunk series. Error = our paint − presentation, pooled over runs.
// `node bench/paint-truth.mjs [--chunks 300] [--runs 3] [--transports eventsource,fetch,websocket] [--layout text|paragraphs] [--sdk-file path] [--json]`
// --layout paragraphs: a new <p> every 20 chunks (Element Timing can then follow Chromium's mode), default one text block.
// --sdk-file: measure another build of the script-tag SDK (e.g. a copy of the previous dist IIFE).
import { launchChromium } from './lib/browser.mjs';
import { parseArgs } from './lib/args.mjs';
import { median, printTable } from './lib/table.mjs';
import { errorSummary, FRAME_MS } from './lib/chromium-frames.mjs';
import { measurePaintTruth, startPaintServer, TRANSPORTS } from '../test/e2e/fixtures/chromium-frames.mjs';

export async function runPaintTruth({ runs, chunks, transports, layout = 'text', sdkFile, log = () => {} }) {
  const server = await startPaintServer(sdkFile ? { sdkFile } : {});
  const browser = await launchChromium();
  const results = [];
  try {
    for (let run = 0; run < runs; run++) {
      const order = run % 2 === 0 ? transports : [...transports].reverse();
      for (const transport of order) {
        const context = await browser.newContext();
        const page = await context.newPage();
        try {
          const r = await measurePaintTruth(page, { baseUrl: server.url, transport, count: chunks, layout });
          const lag = median(r.rows.filter((row) => row.lagMs !== undefined).map((row) => row.lagMs));
          results.push({ run, transport, rows: r.rows, summary: r.summary, lagMs: lag, clockSpreadMs: r.clock.spreadMs });
          log(`run ${run + 1} ${transport.padEnd(11)} median ${r.summary.median.toFixed(2)} ms  max |err| ${r.summary.maxAbs.toFixed(2)} ms  within a frame ${(r.summary.withinFrame * 100).toFixed(1)}%  commit→presentation ${lag.toFixed(1)} ms  painted ${r.summary.painted}/${r.summary.presented} presented`);
        } finally {
          await context.close();
        }
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return results;
}

const ms = (x) => (Number.isFinite(x) ? x.toFixed(2) : '–');

export function paintTruthTable(results, transports) {
  return transports.map((transport) => {
    const mine = results.filter((r) => r.transport === transport);
    const pooled = errorSummary(mine.flatMap((r) => r.rows));
    const medians = mine.map((r) => r.summary.median);
    return {
      transport,
      ...pooled,
      runMedians: medians,
      // Page loads where Chromium presented every frame at the next vsync (its own commit → presentation).
      nextVsyncRuns: mine.filter((r) => r.lagMs > FRAME_MS / 2).length,
      // Page loads whose median estimate was a frame early.
      frameEarlyRuns: medians.filter((m) => m < -FRAME_MS / 2).length,
      lagMs: median(mine.map((r) => r.lagMs)),
    };
  });
}

async function main() {
  const args = parseArgs(process.argv.slice(2), { runs: 3, chunks: 300, transports: TRANSPORTS, layout: 'text', 'sdk-file': '', json: false });
  const results = await runPaintTruth({ ...args, sdkFile: args['sdk-file'] || undefined, log: (line) => process.stderr.write(`${line}\n`) });
  const table = paintTruthTable(results, args.transports);
  if (args.json) {
    console.log(JSON.stringify({ runs: args.runs, chunks: args.chunks, layout: args.layout, table }, null, 2));
    return;
  }
  console.log(`our paint − Chromium presentation (ms), ${args.chunks} chunks × ${args.runs} runs per transport, pooled, layout ${args.layout}`);
  printTable(
    ['transport', 'chunks', 'median', 'p5', 'p95', 'max |err|', 'within a frame', 'run medians', 'next-vsync runs', 'a frame early', 'commit→presentation', 'painted/presented'],
    table.map((t) => [
      t.transport,
      t.n,
      ms(t.median),
      ms(t.p5),
      ms(t.p95),
      ms(t.maxAbs),
      `${(t.withinFrame * 100).toFixed(1)}%`,
      t.runMedians.map(ms).join(' / '),
      `${t.nextVsyncRuns}/${t.runMedians.length}`,
      `${t.frameEarlyRuns}/${t.runMedians.length}`,
      ms(t.lagMs),
      `${t.painted}/${t.presented}`,
    ]),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
