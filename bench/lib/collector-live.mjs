// Scenario 4: live feed fan-out. L listeners on /api/live; one sender posts K spans (JSON, `batch` spans per
// request, one request at a time with a pause between, as exporters do). Per listener: latency from just
// before the POST to the arrival of the event carrying that request's spans, and whether every span came.
// A fresh collector per phase; 1 listener and L listeners alternate their order between runs.
import { startCollectorProcess } from './collector-process.mjs';
import { CONTENT_TYPES, encodeBatches } from './collector-traces.mjs';
import { createAgent, listenLive, post } from './collector-http.mjs';
import { int, median, ms, percentile } from './collector-stats.mjs';

const SPAN_ID = /"spanId":"([0-9a-f]{16})"/g;

async function phase({ listeners, bodies, spanIndex, pauseMs, main }) {
  const collector = await startCollectorProcess({ main });
  const agent = createAgent(1);
  const clients = await Promise.all(Array.from({ length: listeners }, () => listenLive(collector.url)));
  try {
    await new Promise((r) => setTimeout(r, 100));
    const sentAt = [];
    for (const { body } of bodies) {
      sentAt.push(performance.now());
      const res = await post(`${collector.url}/v1/traces`, body, CONTENT_TYPES.json, agent);
      if (res.status !== 200) throw new Error(`ingest answered ${res.status}`);
      await new Promise((r) => setTimeout(r, pauseMs));
    }
    const expected = spanIndex.size;
    const deadline = Date.now() + 10_000;
    while (clients.some((c) => c.events.length < bodies.length) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    // Parsed only now: which request each event answers (by its span ids) and which spans arrived.
    return clients.map((c) => {
      const got = new Set();
      const latencies = [];
      for (const event of c.events) {
        let request;
        for (const m of event.data.matchAll(SPAN_ID)) {
          got.add(m[1]);
          request ??= spanIndex.get(m[1]);
        }
        if (request !== undefined) latencies.push(event.at - sentAt[request]);
      }
      return { events: c.events.length, spans: got.size, complete: got.size === expected && [...spanIndex.keys()].every((id) => got.has(id)), latencies };
    });
  } finally {
    for (const c of clients) c.close();
    agent.destroy();
    await collector.stop();
  }
}

export async function runLive({ runs, listeners, cases, main, log }) {
  const results = [];
  for (const { batch, spans, pauseMs } of cases) {
    const bodies = encodeBatches('json', batch, spans);
    const spanIndex = new Map();
    bodies.forEach(({ body }, request) => {
      for (const m of body.toString('utf8').matchAll(SPAN_ID)) spanIndex.set(m[1], request);
    });
    for (let run = 0; run < runs; run++) {
      const order = run % 2 === 0 ? [1, listeners] : [listeners, 1];
      for (const count of order) {
        const perListener = await phase({ listeners: count, bodies, spanIndex, pauseMs, main });
        const all = perListener.flatMap((l) => l.latencies);
        const complete = perListener.filter((l) => l.complete).length;
        results.push({ run, batch, spans, requests: bodies.length, eventBytes: Math.round(bodies.reduce((s, b) => s + b.body.length, 0) / bodies.length), listeners: count, complete, perListener, median: median(all), p95: percentile(all, 95), max: Math.max(...all) });
        log(`live run ${run + 1} batch ${batch} × ${bodies.length}, ${String(count).padStart(2)} listener(s): median ${ms(median(all))} ms, p95 ${ms(percentile(all, 95))} ms, max ${ms(Math.max(...all))} ms; ${complete}/${count} got all ${int(spans)} spans`);
      }
    }
  }
  return { results, listeners };
}

export function liveTable({ results, listeners }) {
  const rows = [];
  const keys = [...new Set(results.map((r) => r.batch))];
  for (const batch of keys) {
    const one = results.filter((r) => r.batch === batch && r.listeners === 1);
    const many = results.filter((r) => r.batch === batch && r.listeners === listeners);
    const ratio = many.map((m) => m.median / one.find((o) => o.run === m.run).median);
    for (const [label, set] of [['1', one], [String(listeners), many]]) {
      rows.push([
        `${batch} spans (${int(set[0].eventBytes / 1024)} KiB) × ${set[0].requests}`,
        label,
        ms(median(set.map((r) => r.median))),
        ms(median(set.map((r) => r.p95))),
        ms(Math.max(...set.map((r) => r.max))),
        `${set.reduce((s, r) => s + r.complete, 0)}/${set.reduce((s, r) => s + r.listeners, 0)}`,
        label === '1' ? '1' : `${median(ratio).toFixed(2)} (${Math.min(...ratio).toFixed(2)}–${Math.max(...ratio).toFixed(2)})`,
      ]);
    }
  }
  return { headers: ['requests', 'listeners', 'median ms', 'p95 ms', 'max ms', 'listeners with every span', `median ÷ 1 listener`], rows };
}
