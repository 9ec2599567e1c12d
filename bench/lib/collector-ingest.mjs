// Scenario 1: OTLP ingest throughput (spans/s) for JSON and protobuf, per batch size and sender count.
// A fresh collector per cell; a warm-up batch set first; the formats of a cell run back to back, their
// order alternating between runs, so each run yields its own protobuf ÷ JSON ratio.
import { startCollectorProcess } from './collector-process.mjs';
import { CONTENT_TYPES, encodeBatches } from './collector-traces.mjs';
import { createAgent, post } from './collector-http.mjs';
import { int, median, range } from './collector-stats.mjs';

const MAX_BODY = String(32 * 1024 * 1024);

async function sendAll(url, bodies, format, concurrency) {
  const agent = createAgent(concurrency);
  let next = 0;
  let failed;
  const sender = async () => {
    while (next < bodies.length) {
      const { body } = bodies[next++];
      const res = await post(`${url}/v1/traces`, body, CONTENT_TYPES[format], agent);
      if (res.status !== 200) failed ??= `${res.status} ${res.text.slice(0, 200)}`;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, sender));
  const elapsed = performance.now() - started;
  agent.destroy();
  if (failed) throw new Error(`ingest answered ${failed}`);
  return elapsed;
}

export async function runIngest({ runs, batches, concurrencies, totals, main, log }) {
  const formats = ['json', 'protobuf'];
  const sets = new Map();
  for (const format of formats) {
    for (const batch of batches) {
      const total = totals[batch] ?? batch * 30;
      log(`ingest: encoding ${int(total)} spans as ${format} in batches of ${batch}`);
      const bodies = encodeBatches(format, batch, total);
      const warm = encodeBatches(format, batch, Math.max(batch * 2, Math.min(2000, total / 5)), 1e6);
      sets.set(`${format}/${batch}`, { bodies, warm, total, bytes: bodies.reduce((s, b) => s + b.body.length, 0) });
    }
  }
  const results = [];
  for (let run = 0; run < runs; run++) {
    const order = run % 2 === 0 ? formats : [...formats].reverse();
    for (const batch of batches) {
      for (const concurrency of concurrencies) {
        for (const format of order) {
          const set = sets.get(`${format}/${batch}`);
          const collector = await startCollectorProcess({ main, args: ['--max-body-bytes', MAX_BODY, '--max-spans', String(set.total * 2 + 10000)] });
          try {
            await sendAll(collector.url, set.warm, format, concurrency);
            const elapsed = await sendAll(collector.url, set.bodies, format, concurrency);
            const health = await collector.health();
            const warmSpans = set.warm.reduce((s, b) => s + b.spans, 0);
            if (health.spans !== set.total + warmSpans) throw new Error(`stored ${health.spans} spans, sent ${set.total + warmSpans}`);
            const spansPerS = set.total / (elapsed / 1000);
            results.push({ run, format, batch, concurrency, spans: set.total, requests: set.bodies.length, bytes: set.bytes, elapsedMs: elapsed, spansPerS });
            log(`ingest run ${run + 1} ${format.padEnd(8)} batch ${String(batch).padStart(4)} × ${concurrency} senders: ${int(spansPerS)} spans/s (${(elapsed / 1000).toFixed(2)} s)`);
          } finally {
            await collector.stop();
          }
        }
      }
    }
  }
  return { results, sets };
}

export function ingestTables({ results }, { batches, concurrencies }) {
  const pick = (format, batch, concurrency) => results.filter((r) => r.format === format && r.batch === batch && r.concurrency === concurrency);
  const rows = [];
  for (const batch of batches) {
    for (const concurrency of concurrencies) {
      const json = pick('json', batch, concurrency);
      const proto = pick('protobuf', batch, concurrency);
      const ratios = json.map((j) => proto.find((p) => p.run === j.run).spansPerS / j.spansPerS);
      rows.push([
        String(batch),
        String(concurrency),
        range(json.map((r) => r.spansPerS), int),
        range(proto.map((r) => r.spansPerS), int),
        range(ratios, (x) => x.toFixed(2)),
        `${int(json[0].bytes / json[0].spans)} / ${int(proto[0].bytes / proto[0].spans)}`,
        `${int(median(json.map((r) => r.spansPerS)) / batch)} / ${int(median(proto.map((r) => r.spansPerS)) / batch)}`,
      ]);
    }
  }
  return { headers: ['spans/request', 'senders', 'JSON spans/s', 'protobuf spans/s', 'protobuf ÷ JSON', 'bytes/span JSON / proto', 'requests/s JSON / proto'], rows };
}
