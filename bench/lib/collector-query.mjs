// Scenario 3: query latency. One 5,000-span trace (625 messages under one root) is stored, the store is
// then filled to its bound with ordinary chat traces, and each endpoint is queried N times in turn
// (sequentially, keep-alive): the trace by id (Jaeger v3 and Tempo shapes) and the recent-traces search.
import { startCollectorProcess } from './collector-process.mjs';
import { CONTENT_TYPES, SPANS_PER_MESSAGE, bigTrace, encode, encodeBatches } from './collector-traces.mjs';
import { createAgent, post, timedGet } from './collector-http.mjs';
import { int, kib, median, ms, percentile } from './collector-stats.mjs';

async function send(url, agent, format, body) {
  const res = await post(`${url}/v1/traces`, body, CONTENT_TYPES[format], agent);
  if (res.status !== 200) throw new Error(`ingest answered ${res.status} ${res.text.slice(0, 200)}`);
}

export async function runQuery({ bound, traceSpans, queries, main, log }) {
  const collector = await startCollectorProcess({ main, args: ['--max-spans', String(bound)] });
  const agent = createAgent(1);
  try {
    const big = bigTrace(Math.ceil(traceSpans / SPANS_PER_MESSAGE));
    for (let i = 0; i < big.spans.length; i += 500) await send(collector.url, agent, 'json', encode('json', big.spans.slice(i, i + 500)));
    const fillSpans = bound - big.spans.length;
    log(`query: stored a ${int(big.spans.length)}-span trace; filling the store with ${int(fillSpans)} more spans`);
    for (let sent = 0; sent < fillSpans; sent += 10_000) {
      for (const { body } of encodeBatches('protobuf', 500, Math.min(10_000, fillSpans - sent), 1000 + sent / SPANS_PER_MESSAGE)) await send(collector.url, agent, 'protobuf', body);
    }
    const health = await collector.health();
    log(`query: store holds ${int(health.spans)} spans in ${int(health.traces)} traces (bound ${int(bound)}, evicted ${int(health.evictedSpans)})`);
    if (health.evictedSpans > 0) throw new Error('the big trace must not be evicted');

    const sessionOfBig = 's-0';
    const endpoints = [
      { name: `/api/v3/traces/{id} (${int(big.spans.length)} spans)`, path: `/api/v3/traces/${big.traceId}` },
      { name: `/api/traces/{id} (${int(big.spans.length)} spans)`, path: `/api/traces/${big.traceId}` },
      { name: '/api/traces?limit=100', path: '/api/traces?limit=100' },
      { name: '/api/traces?limit=1000', path: '/api/traces?limit=1000' },
      { name: '/api/traces?service=vector-store&limit=20', path: '/api/traces?service=vector-store&limit=20' },
      { name: `/api/traces?sessionId=${sessionOfBig}`, path: `/api/traces?sessionId=${sessionOfBig}` },
      { name: '/api/traces?sessionId=(none matches)', path: '/api/traces?sessionId=no-such-session' },
    ];
    const results = endpoints.map((e) => ({ ...e, first: undefined, times: [], bytes: 0 }));
    // The first call of each endpoint is reported apart (summaries are computed and cached on first use).
    for (let i = 0; i <= queries; i++) {
      for (const r of i % 2 === 0 ? results : [...results].reverse()) {
        const res = await timedGet(`${collector.url}${r.path}`, agent);
        if (res.status !== 200) throw new Error(`${r.path} answered ${res.status}`);
        if (i === 0) r.first = res.ms;
        else r.times.push(res.ms);
        r.bytes = res.bytes;
        if (i === 0 && r.path.startsWith('/api/traces?')) r.count = JSON.parse(res.body.toString('utf8')).traces.length;
        if (i === 0 && r.path.includes(big.traceId)) {
          const data = JSON.parse(res.body.toString('utf8'));
          const rs = (data.result ?? data).resourceSpans;
          r.count = rs.reduce((s, x) => s + x.scopeSpans.reduce((t, ss) => t + ss.spans.length, 0), 0);
          if (r.count !== big.spans.length) throw new Error(`${r.path}: ${r.count} spans, expected ${big.spans.length}`);
        }
      }
      if (i === 0) log('query: first calls done');
    }
    return { health, queries, results };
  } finally {
    agent.destroy();
    await collector.stop();
  }
}

export function queryTable({ results, queries }) {
  return {
    headers: ['endpoint', 'items', 'response', 'first call ms', `median ms (n=${queries})`, 'p95 ms', 'max ms'],
    rows: results.map((r) => [r.name, int(r.count ?? 0), kib(r.bytes), ms(r.first), ms(median(r.times)), ms(percentile(r.times, 95)), ms(Math.max(...r.times))]),
  };
}
