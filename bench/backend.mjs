// Backend cost of tracing: chat-gateway stream throughput and CPU with tracing off versus on, per
// transport (SSE over POST /api/chat, the EventSource GET route, WebSocket) and concurrency, and
// the effect of per-delta span events (every delta / the default sampling / none).
// Method: all processes are children on free ports (bench/lib/backend-stack.mjs); the gateway
// streams `--tokens` deltas per answer from a no-delay OpenAI-compatible upstream
// (bench/lib/backend-upstream.mjs), so the gateway path is the bottleneck. Per cell: wall time of
// `--requests` streams (3 × concurrency at least), gateway CPU from /proc/<pid>/stat. Modes run
// in alternating order per round; ratios are taken within a round, then the median over rounds.
// `node bench/backend.mjs [--runs 3] [--tokens 2000] [--requests 8] [--concurrency 1,8]
//   [--transports sse,eventsource,websocket] [--modes off,on,on-all,on-none] [--json]`
// A mode may name another build's gateway, `on@/path/to/demo-backend/dist`, for a same-run A/B.
import { parseArgs } from './lib/args.mjs';
import { runCell, TRANSPORTS } from './lib/backend-client.mjs';
import { MODES, startBackend } from './lib/backend-stack.mjs';
import { traceSize, tracesOf } from './lib/backend-traces.mjs';
import { median, printTable } from './lib/table.mjs';

const LABELS = { off: 'off', on: 'on (default sampling)', 'on-all': 'on, every delta', 'on-none': 'on, no delta events' };

export async function runBackend({ runs, tokens, requests, concurrency, transports, modes, log = () => {} }) {
  const stack = await startBackend({ modes, tokens });
  const cells = [];
  const sizes = [];
  let offCheck;
  try {
    const cellRequests = (c) => Math.max(requests, 3 * c);
    log(`warm-up: ${modes.length} gateways × ${transports.length} transports`);
    for (const mode of modes) {
      for (const transport of transports) await runCell({ gateway: stack.gateways[mode], transport, concurrency: 2, requests: 4, tokens, settleMs: 0 });
    }
    for (let run = 0; run < runs; run++) {
      const order = run % 2 === 0 ? modes : [...modes].reverse();
      for (const transport of transports) {
        for (const c of concurrency) {
          for (const mode of order) {
            const r = await runCell({ gateway: stack.gateways[mode], transport, concurrency: c, requests: cellRequests(c), tokens });
            cells.push({ run, mode, transport, concurrency: c, ...r });
            log(
              `run ${run + 1} ${transport.padEnd(11)} c=${String(c).padEnd(2)} ${mode.padEnd(7)} ${Math.round(r.tokensPerS).toString().padStart(7)} tokens/s ${r.requestsPerS.toFixed(1).padStart(6)} req/s ${r.cpuMsPerRequest.toFixed(1).padStart(6)} ms CPU/req`,
            );
          }
        }
      }
    }
    for (const mode of modes.filter((m) => !m.startsWith('off'))) {
      for (const transport of transports) {
        const last = cells.findLast((cell) => cell.mode === mode && cell.transport === transport);
        sizes.push({ mode, transport, ...(await traceSize(stack.collector, last.traceIds.at(-1))) });
      }
    }
    if (modes.includes('off')) {
      const offIds = new Set(cells.filter((cell) => cell.mode === 'off').flatMap((cell) => cell.traceIds));
      offCheck = { startTraceIds: [...offIds], stored: await tracesOf(stack.collector, ['chat-gateway-off', 'vector-store-off']) };
    }
  } finally {
    await stack.stop();
  }
  return { cells: cells.map(({ traceIds, ...cell }) => cell), sizes, offCheck };
}

const fmt = (x, digits = 0) => x.toFixed(digits);
const range = (xs, digits = 2) => `${fmt(median(xs), digits)} (${fmt(Math.min(...xs), digits)}–${fmt(Math.max(...xs), digits)})`;

/** Per-round ratio `mode / base` of a cell value, summarised as median (min–max). */
function ratio(cells, transport, c, mode, base, key) {
  const runs = [...new Set(cells.map((cell) => cell.run))];
  const xs = runs.flatMap((run) => {
    const pick = (m) => cells.find((cell) => cell.run === run && cell.transport === transport && cell.concurrency === c && cell.mode === m);
    const a = pick(mode);
    const b = pick(base);
    return a && b ? [a[key] / b[key]] : [];
  });
  return xs.length ? range(xs) : '–';
}

function med(cells, transport, c, mode, key, digits = 0) {
  const xs = cells.filter((cell) => cell.transport === transport && cell.concurrency === c && cell.mode === mode).map((cell) => cell[key]);
  return xs.length ? fmt(median(xs), digits) : '–';
}

export function backendTables({ cells, sizes }, { transports, concurrency, modes }) {
  const rowsFor = (fn) => transports.flatMap((t) => concurrency.map((c) => [`${t} c=${c}`, ...fn(t, c)]));
  const onOff = rowsFor((t, c) => [
    med(cells, t, c, 'off', 'tokensPerS'),
    med(cells, t, c, 'on', 'tokensPerS'),
    ratio(cells, t, c, 'on', 'off', 'tokensPerS'),
    med(cells, t, c, 'off', 'requestsPerS', 1),
    med(cells, t, c, 'on', 'requestsPerS', 1),
    med(cells, t, c, 'off', 'cpuMsPerRequest', 1),
    med(cells, t, c, 'on', 'cpuMsPerRequest', 1),
    ratio(cells, t, c, 'on', 'off', 'cpuMsPerRequest'),
  ]);
  const deltaModes = ['on-none', 'on', 'on-all'].filter((m) => modes.includes(m));
  const deltaCpu = rowsFor((t, c) => [
    ...deltaModes.map((m) => med(cells, t, c, m, 'cpuMsPerRequest', 1)),
    ...deltaModes.filter((m) => m !== 'on').map((m) => ratio(cells, t, c, m, 'on', 'cpuMsPerRequest')),
  ]);
  const deltaThroughput = rowsFor((t, c) => [
    ...deltaModes.map((m) => med(cells, t, c, m, 'tokensPerS')),
    ...deltaModes.filter((m) => m !== 'on').map((m) => ratio(cells, t, c, m, 'on', 'tokensPerS')),
  ]);
  // Every mode against `off` (the first mode when `off` is not measured), for extra `mode@dist` runs.
  const base = modes.includes('off') ? 'off' : modes[0];
  // and, when `on` is measured, each other traced build against it (same round): the A/B's own ratio.
  const vsOn = modes.includes('on') && base !== 'on';
  const allModes = modes.flatMap((m) =>
    concurrency.flatMap((c) =>
      transports.map((t) => [
        `${LABELS[m] ?? m}, ${t} c=${c}`,
        med(cells, t, c, m, 'tokensPerS'),
        med(cells, t, c, m, 'cpuMsPerRequest', 1),
        m === base ? '' : ratio(cells, t, c, m, base, 'cpuMsPerRequest'),
        ...(vsOn ? [m === base || m === 'on' ? '' : ratio(cells, t, c, 'on', m, 'cpuMsPerRequest')] : []),
      ]),
    ),
  );
  const sizeRows = sizes.map((s) => [
    `${LABELS[s.mode] ?? s.mode}, ${s.transport}`,
    `${s.deltaEvents} / ${s.events}`,
    s.droppedEvents,
    fmt(s.streamSpanBytes / 1024, 1),
    s.spans,
    fmt(s.traceBytes / 1024, 1),
  ]);
  return { onOff, deltaModes, deltaCpu, deltaThroughput, sizeRows, allModes, base, vsOn };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const opts = parseArgs(process.argv.slice(2), { runs: 3, tokens: 2000, requests: 8, concurrency: ['1', '8'], transports: TRANSPORTS, modes: MODES, json: false });
  opts.concurrency = opts.concurrency.map(Number);
  const started = performance.now();
  const measured = await runBackend({ ...opts, log: (line) => console.error(line) });
  const t = backendTables(measured, opts);
  const n = `median of ${opts.runs} rounds, ratios per round (min–max)`;
  console.log(`\nGateway, tracing off vs on (default delta sampling), ${opts.tokens} deltas per stream, ${n}\n`);
  printTable(['transport', 'tokens/s off', 'tokens/s on', 'on/off', 'req/s off', 'req/s on', 'CPU ms/req off', 'CPU ms/req on', 'CPU on/off'], t.onOff);
  const dl = t.deltaModes.map((m) => LABELS[m]);
  const rl = t.deltaModes.filter((m) => m !== 'on').map((m) => `${m === 'on-all' ? 'every' : 'none'}/default`);
  console.log(`\nGateway CPU ms per stream by per-delta span events, ${n}\n`);
  printTable(['transport', ...dl, ...rl], t.deltaCpu);
  console.log(`\nGateway tokens/s by per-delta span events, ${n}\n`);
  printTable(['transport', ...dl, ...rl], t.deltaThroughput);
  console.log(`\nStored trace of one stream (read back from the collector's /api/v3/traces/{id}; OTLP JSON)\n`);
  printTable(['mode, transport', 'delta / all events', 'dropped', 'stream span KiB', 'spans', 'trace KiB'], t.sizeRows);
  if (opts.modes.some((m) => !(m in LABELS))) {
    console.log(`\nEvery mode, ${n}; CPU ratio against ${t.base}\n`);
    printTable(['mode, transport', 'tokens/s', 'CPU ms/req', `CPU / ${t.base}`, ...(t.vsOn ? ['CPU on ÷ this'] : [])], t.allModes);
  }
  if (measured.offCheck) {
    const zero = measured.offCheck.startTraceIds.every((id) => /^0+$/.test(id));
    console.log(`\nTracing off: start-event trace ids ${zero ? 'all invalid (000…0)' : measured.offCheck.startTraceIds.slice(0, 3).join(', ')}; traces stored: ${JSON.stringify(measured.offCheck.stored)}`);
  }
  if (opts.json) console.log(JSON.stringify(measured, null, 2));
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
