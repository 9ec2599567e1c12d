// Scenario 2: memory at the store bound. Fills a collector started with `--max-spans bound` to `fill` × the
// bound with fresh chat traces (JSON, 500 spans per request), and at checkpoints reads the store counts
// (/api/health), the collector's RSS (/proc) and its V8 heap after a full GC.
import { startCollectorProcess } from './collector-process.mjs';
import { CONTENT_TYPES, SPANS_PER_MESSAGE, encodeBatches } from './collector-traces.mjs';
import { createAgent, post } from './collector-http.mjs';
import { int, mib } from './collector-stats.mjs';

export async function runMemory({ bound, fill, batch = 500, main, log }) {
  const checkpoints = [0.25, 0.5, 1, 1.5, 2, 3, 4].filter((c) => c <= fill);
  if (!checkpoints.includes(fill)) checkpoints.push(fill);
  const collector = await startCollectorProcess({ main, args: ['--max-spans', String(bound)] });
  const agent = createAgent(1);
  const rows = [];
  const sample = async (sent) => {
    const [health, memory] = await Promise.all([collector.health(), collector.memory()]);
    const { rss, hwm } = collector.rss();
    const row = { sent, spans: health.spans, traces: health.traces, evictedSpans: health.evictedSpans, rss, hwm, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, external: memory.external, arrayBuffers: memory.arrayBuffers };
    rows.push(row);
    log(`memory: sent ${int(sent)} → stored ${int(health.spans)} spans / ${int(health.traces)} traces, RSS ${mib(rss)}, heap ${mib(memory.heapUsed)}`);
    if (health.spans > bound) throw new Error(`store holds ${health.spans} spans, above its bound ${bound}`);
  };
  try {
    await sample(0);
    let sent = 0;
    for (const checkpoint of checkpoints) {
      const target = Math.round(checkpoint * bound);
      while (sent < target) {
        const n = Math.min(batch * 20, target - sent);
        for (const { body, spans } of encodeBatches('json', batch, n, sent / SPANS_PER_MESSAGE)) {
          const res = await post(`${collector.url}/v1/traces`, body, CONTENT_TYPES.json, agent);
          if (res.status !== 200) throw new Error(`ingest answered ${res.status} ${res.text.slice(0, 200)}`);
          sent += spans;
        }
      }
      await sample(sent);
    }
  } finally {
    agent.destroy();
    await collector.stop();
  }
  return { bound, rows };
}

export function memoryTable({ bound, rows }) {
  const base = rows[0];
  return {
    headers: ['spans sent', '× bound', 'stored spans', 'stored traces', 'evicted spans', 'RSS', 'RSS peak', 'heap used (after GC)', 'heap / stored span'],
    rows: rows.map((r) => [
      int(r.sent),
      (r.sent / bound).toFixed(2),
      int(r.spans),
      int(r.traces),
      int(r.evictedSpans),
      mib(r.rss),
      mib(r.hwm),
      mib(r.heapUsed),
      r.spans > 0 ? `${((r.heapUsed - base.heapUsed) / r.spans / 1024).toFixed(2)} KiB` : '—',
    ]),
  };
}
