import { afterEach, describe, expect, it } from 'vitest';
import { bulkTraceBody } from './query-bulk.js';
import { createSpanStore } from './span-store.js';
import { normalizeTraces } from './normalize-traces.js';
import { startCollector } from './start.js';
import { hexId, otlpJson, postJson } from './fixtures.test-helpers.js';
import type { RunningCollector } from './start.js';
import type { TracesData } from './otlp-types.js';

let collector: RunningCollector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

interface BulkAnswer extends TracesData {
  traces: Array<{ traceId: string }>;
  spansTraces: number;
  truncated: boolean;
}

const traceIdsOf = (data: TracesData): string[] => [...new Set(data.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.traceId))))];

/** Trace n starts at n seconds, has two spans from two services. */
async function postTraces(url: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 1; n <= count; n++) {
    const traceId = hexId(16);
    ids.push(traceId);
    await postJson(`${url}/v1/traces`, otlpJson('browser', [{ traceId, name: `message ${n}`, startMs: n * 1000 }]));
    await postJson(`${url}/v1/traces`, otlpJson('gateway', [{ traceId, name: `gateway ${n}`, startMs: n * 1000 + 1 }]));
  }
  return ids;
}

describe('GET /api/traces?spans=1', () => {
  it('answers the listed traces with their spans, newest first, grouped as /api/traces/{id} answers them', async () => {
    collector = await startCollector({ port: 0 });
    const ids = await postTraces(collector.url, 5);
    const response = await fetch(`${collector.url}/api/traces?limit=3&spans=1`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as BulkAnswer;
    const newest = [ids[4], ids[3], ids[2]];
    expect(body.traces.map((t) => t.traceId)).toEqual(newest);
    expect(body.spansTraces).toBe(3);
    expect(body.truncated).toBe(false);
    expect(traceIdsOf(body)).toEqual(newest);
    const single = (await (await fetch(`${collector.url}/api/traces/${ids[4]}`)).json()) as TracesData;
    expect(body.resourceSpans.slice(0, single.resourceSpans.length)).toEqual(single.resourceSpans);
    expect(body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.name)))).toEqual([
      'message 5', 'gateway 5', 'message 4', 'gateway 4', 'message 3', 'gateway 3',
    ]);
  });

  it('continues after offset, applies the list filters, and leaves the plain list unchanged', async () => {
    collector = await startCollector({ port: 0 });
    const ids = await postTraces(collector.url, 5);
    const page = (await (await fetch(`${collector.url}/api/traces?limit=2&offset=2&spans=1`)).json()) as BulkAnswer;
    expect(page.traces.map((t) => t.traceId)).toEqual([ids[2], ids[1]]);
    expect(traceIdsOf(page)).toEqual([ids[2], ids[1]]);
    const past = (await (await fetch(`${collector.url}/api/traces?offset=9&spans=1`)).json()) as BulkAnswer;
    expect(past).toEqual({ traces: [], resourceSpans: [], spansTraces: 0, truncated: false });
    const filtered = (await (await fetch(`${collector.url}/api/traces?sessionId=none&spans=1`)).json()) as BulkAnswer;
    expect(filtered.resourceSpans).toEqual([]);
    const plain = (await (await fetch(`${collector.url}/api/traces?limit=2`)).json()) as Record<string, unknown>;
    expect(Object.keys(plain)).toEqual(['traces', 'lastEventId']);
    const plainOffset = (await (await fetch(`${collector.url}/api/traces?limit=2&offset=1&spans=0`)).json()) as BulkAnswer;
    expect(plainOffset.traces.map((t) => t.traceId)).toEqual([ids[3], ids[2]]);
  });

  it('refuses invalid parameters with 400', async () => {
    collector = await startCollector({ port: 0 });
    for (const query of ['spans=yes', 'offset=-1', 'offset=1.5', 'offset=abc', 'limit=-3&spans=1']) {
      const response = await fetch(`${collector.url}/api/traces?${query}`);
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/offset|spans|limit/);
    }
  });

  it('answers HEAD with the length of the body a GET would send', async () => {
    collector = await startCollector({ port: 0 });
    await postTraces(collector.url, 2);
    const get = Buffer.from(await (await fetch(`${collector.url}/api/traces?spans=1`)).arrayBuffer());
    const head = await fetch(`${collector.url}/api/traces?spans=1`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(get.length);
    expect(traceIdsOf(JSON.parse(get.toString('utf8')) as TracesData)).toHaveLength(2);
  });
});

describe('bulk answer bound', () => {
  const fill = (count: number) => {
    const store = createSpanStore({ maxSpans: 1000 });
    for (let n = 1; n <= count; n++) {
      store.add(normalizeTraces(otlpJson('svc', [{ traceId: hexId(16), name: `t${n}`, startMs: n * 1000, attributes: { pad: 'x'.repeat(200) } }]), 'hex').data);
    }
    return store;
  };
  const parse = (body: { chunks: Buffer[] }) => JSON.parse(Buffer.concat(body.chunks).toString('utf8')) as BulkAnswer;

  it('stops adding traces past the bound and says how many it holds', () => {
    const store = fill(10);
    const listed = store.list({ limit: 10 });
    const one = store.getJson(listed[0]!.traceId)!.length;
    const body = bulkTraceBody(store, listed, one * 3);
    const answer = parse(body);
    expect(body.length).toBe(Buffer.concat(body.chunks).length);
    expect(answer.traces).toHaveLength(10);
    expect(answer.truncated).toBe(true);
    expect(answer.spansTraces).toBeGreaterThanOrEqual(2);
    expect(answer.spansTraces).toBeLessThan(4);
    expect(traceIdsOf(answer)).toEqual(listed.slice(0, answer.spansTraces).map((t) => t.traceId));
  });

  it('always holds the first trace, even one larger than the bound', () => {
    const store = fill(3);
    const answer = parse(bulkTraceBody(store, store.list({ limit: 3 }), 10));
    expect(answer.spansTraces).toBe(1);
    expect(answer.truncated).toBe(true);
    expect(traceIdsOf(answer)).toHaveLength(1);
  });

  it('stops at a trace evicted after it was listed', () => {
    const store = fill(3);
    const listed = store.list({ limit: 3 });
    const answer = parse(bulkTraceBody(store, [...listed, { ...listed[0]!, traceId: hexId(16) }], 1 << 20));
    expect(answer.spansTraces).toBe(3);
    expect(answer.truncated).toBe(true);
  });
});
