import { afterEach, describe, expect, it } from 'vitest';
import { startCollector } from './start.js';
import { hexId, otlpJson, postJson } from './fixtures.test-helpers.js';
import type { RunningCollector } from './start.js';
import type { TracesData } from './otlp-types.js';

let collector: RunningCollector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

const names = (data: TracesData) => data.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.name))).sort();

async function getBoth(url: string, traceId: string): Promise<[string[], string[]]> {
  const jaeger = await fetch(`${url}/api/v3/traces/${traceId}`);
  const tempo = await fetch(`${url}/api/traces/${traceId}`);
  expect(jaeger.status).toBe(200);
  expect(tempo.status).toBe(200);
  const j = (await jaeger.json()) as { result: TracesData };
  return [names(j.result), names((await tempo.json()) as TracesData)];
}

describe('trace queries served from the serialized-body cache', () => {
  it('answers repeated queries, then shows spans that arrive later, in both shapes', async () => {
    collector = await startCollector({ port: 0 });
    const traceId = hexId(16);
    await postJson(`${collector.url}/v1/traces`, otlpJson('svc', [{ traceId, name: 'root' }]));
    expect(await getBoth(collector.url, traceId)).toEqual([['root'], ['root']]);
    expect(await getBoth(collector.url, traceId)).toEqual([['root'], ['root']]);
    await postJson(`${collector.url}/v1/traces`, otlpJson('svc', [{ traceId, name: 'late child' }]));
    expect(await getBoth(collector.url, traceId)).toEqual([['late child', 'root'], ['late child', 'root']]);
  });

  it('answers 404 for a trace that was cached and then evicted', async () => {
    collector = await startCollector({ port: 0, maxSpans: 2 });
    const first = hexId(16);
    await postJson(`${collector.url}/v1/traces`, otlpJson('svc', [{ traceId: first, name: 'old' }]));
    await getBoth(collector.url, first);
    await postJson(`${collector.url}/v1/traces`, otlpJson('svc', [{ traceId: hexId(16) }, { traceId: hexId(16) }]));
    expect((await fetch(`${collector.url}/api/v3/traces/${first}`)).status).toBe(404);
    expect((await fetch(`${collector.url}/api/traces/${first}`)).status).toBe(404);
  });

  it('answers HEAD with the length of the body a GET would send', async () => {
    collector = await startCollector({ port: 0 });
    const traceId = hexId(16);
    await postJson(`${collector.url}/v1/traces`, otlpJson('svc', [{ traceId, name: 'é' }]));
    const get = await fetch(`${collector.url}/api/v3/traces/${traceId}`);
    const body = Buffer.from(await get.arrayBuffer());
    const head = await fetch(`${collector.url}/api/v3/traces/${traceId}`, { method: 'HEAD' });
    expect(Number(head.headers.get('content-length'))).toBe(body.length);
    expect(JSON.parse(body.toString('utf8'))).toMatchObject({ result: { resourceSpans: [{ scopeSpans: [{ spans: [{ name: 'é' }] }] }] } });
  });
});
