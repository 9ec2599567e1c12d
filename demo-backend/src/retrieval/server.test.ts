import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { listen } from '../shared/listen.js';
import { loadCorpus } from './corpus.js';
import { createVectorStoreServer } from './server.js';
import { createVectorIndex } from './vector-index.js';

const exporter = new InMemorySpanExporter();
const servers: Server[] = [];

async function start(captureContent: boolean): Promise<string> {
  const server = createVectorStoreServer({
    index: createVectorIndex(await loadCorpus()),
    collection: 'docs-test',
    baseDelayMs: 0,
    slowDelayMs: 50,
    captureContent,
  });
  servers.push(server);
  return listen(server, 0);
}

function search(url: string, body: object): Promise<Response> {
  return fetch(`${url}/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

let url: string;
beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  url = await start(false);
});
afterAll(() => {
  for (const server of servers) server.close();
});

describe('vector-store HTTP API', () => {
  it('returns topK results with snippets and records one vector.search span', async () => {
    exporter.reset();
    const response = await search(url, { query: 'What is backpressure in Node.js streams?', topK: 2 });
    const body = (await response.json()) as { results: { id: string; score: number; snippet: string }[] };
    expect(body.results.map((r) => r.id)[0]).toBe('streaming#backpressure');
    expect(body.results).toHaveLength(2);
    expect(body.results[0]!.snippet).toMatch(/drain event/);
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('vector.search docs-test');
    expect(span?.attributes).toMatchObject({
      'db.system.name': 'streamtrace.vector',
      'db.collection.name': 'docs-test',
      'db.operation.name': 'search',
      'gen_ai.data_source.id': 'docs-test',
      'gen_ai.request.top_k': 2,
    });
    expect(JSON.parse(String(span?.attributes['gen_ai.retrieval.documents']))).toEqual(body.results.map(({ id, score }) => ({ id, score })));
    expect(span?.attributes['gen_ai.retrieval.query.text']).toBeUndefined();
  });

  it('puts the query text on the span only when content capture is on', async () => {
    const capturing = await start(true);
    exporter.reset();
    await (await search(capturing, { query: 'span kinds' })).json();
    expect(exporter.getFinishedSpans()[0]?.attributes['gen_ai.retrieval.query.text']).toBe('span kinds');
  });

  it('injects slowness and failure per request', async () => {
    exporter.reset();
    expect((await search(url, { query: 'sampling', fault: 'slow' })).status).toBe(200);
    expect(exporter.getFinishedSpans()[0]?.attributes['streamtrace.fault']).toBe('slow');
    const failed = await search(url, { query: 'sampling', fault: 'fail' });
    expect(failed.status).toBe(503);
  });

  it('rejects requests without a query', async () => {
    expect((await search(url, { topK: 3 })).status).toBe(400);
    expect((await fetch(`${url}/nope`)).status).toBe(404);
  });
});
