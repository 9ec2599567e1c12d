// The embedded dev collector (demo-backend/dist/collector/main.js) under load, each scenario against a fresh
// collector child process on a free port: (1) OTLP ingest throughput, JSON vs protobuf, per batch size and
// sender count; (2) memory when filled past its span bound; (3) query latency for a 5,000-span trace and the
// recent-traces search with the store full; (4) live feed fan-out to 10 SSE listeners vs 1.
// Traces are realistic chat messages (8 spans over browser/gateway/vector-store/model, 50 `chunk` events on
// chat.stream, 26 stream events on `stream sse`), encoded with @opentelemetry/otlp-transformer.
// `node bench/collector.mjs [--runs 3] [--scenarios ingest,memory,query,live] [--bound 100000] [--fill 2]
//   [--queries 30] [--listeners 10] [--scale 1] [--main path/to/collector/main.js] [--json]`
// `--main` runs another build of the collector (e.g. an esbuild bundle of an older commit) for before/after tables.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { COLLECTOR_MAIN, collectorBuilt } from './lib/collector-process.mjs';
import { ingestTables, runIngest } from './lib/collector-ingest.mjs';
import { memoryTable, runMemory } from './lib/collector-memory.mjs';
import { queryTable, runQuery } from './lib/collector-query.mjs';
import { liveTable, runLive } from './lib/collector-live.mjs';
import { parseArgs } from './lib/args.mjs';
import { printTable } from './lib/table.mjs';

export const SCENARIOS = ['ingest', 'memory', 'query', 'live'];

export async function runCollectorBench({ runs = 3, scenarios = SCENARIOS, bound = 100_000, fill = 2, queries = 30, listeners = 10, scale = 1, main = COLLECTOR_MAIN, log = () => {} } = {}) {
  if (main === COLLECTOR_MAIN && !collectorBuilt()) throw new Error('demo-backend/dist/collector/main.js is missing: run `npm run build -w demo-backend`');
  if (!existsSync(main)) throw new Error(`no collector entry at ${main}`);
  const out = {};
  const s = (n) => Math.max(1, Math.round(n * scale));
  if (scenarios.includes('ingest')) {
    const opts = { runs, batches: [1, 100, 1000], concurrencies: [1, 4], totals: { 1: s(1000), 100: s(10_000), 1000: s(20_000) }, main, log };
    out.ingest = { opts, ...(await runIngest(opts)) };
  }
  if (scenarios.includes('memory')) out.memory = await runMemory({ bound, fill, main, log });
  if (scenarios.includes('query')) out.query = await runQuery({ bound, traceSpans: 5000, queries, main, log });
  if (scenarios.includes('live')) {
    const cases = [
      { batch: 10, spans: s(1000), pauseMs: 20 },
      { batch: 500, spans: s(10_000), pauseMs: 100 },
    ];
    out.live = await runLive({ runs, listeners, cases, main, log });
  }
  return out;
}

export function printCollectorTables(out, { runs }) {
  if (out.ingest) {
    const t = ingestTables(out.ingest, out.ingest.opts);
    console.log(`\nOTLP ingest throughput, spans/s, median of ${runs} (min–max); a fresh collector per cell, warm-up first; ratio per run, formats alternating\n`);
    printTable(t.headers, t.rows);
  }
  if (out.memory) {
    const t = memoryTable(out.memory);
    console.log(`\nMemory filling past the bound (--max-spans ${out.memory.bound}), JSON requests of 500 spans; heap after a full GC\n`);
    printTable(t.headers, t.rows);
  }
  if (out.query) {
    const t = queryTable(out.query);
    console.log(`\nQuery latency, store full (${out.query.health.spans} spans, ${out.query.health.traces} traces); sequential keep-alive GETs, send → last byte\n`);
    printTable(t.headers, t.rows);
  }
  if (out.live) {
    const t = liveTable(out.live);
    console.log(`\nLive feed (/api/live) delivery latency, POST sent → event received, all listeners pooled; median of ${runs} runs' medians/p95, max of all\n`);
    printTable(t.headers, t.rows);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const opts = parseArgs(process.argv.slice(2), { runs: 3, scenarios: SCENARIOS, bound: 100_000, fill: 2, queries: 30, listeners: 10, scale: 1, main: COLLECTOR_MAIN, json: false });
  opts.main = resolve(opts.main);
  console.error(`collector: ${opts.main}`);
  const started = performance.now();
  const out = await runCollectorBench({ ...opts, log: (line) => console.error(line) });
  printCollectorTables(out, opts);
  if (opts.json) {
    const { ingest, memory, query, live } = out;
    console.log(JSON.stringify({ ingest: ingest?.results, memory, query: query && { ...query, results: query.results.map(({ times, ...r }) => ({ ...r, times })) }, live: live?.results.map(({ perListener, ...r }) => r) }, null, 2));
  }
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
