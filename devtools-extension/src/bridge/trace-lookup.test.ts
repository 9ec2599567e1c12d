import { describe, expect, it } from 'vitest';
import { createTraceLookup } from './trace-lookup';
import { resourceSpans } from '../testing/otlp-fixtures';
import type { OtlpResourceSpans } from './otlp-types';

const traceId = '0af7651916cd43dd8448eb211c80319c';
const withSpans = (n: number): OtlpResourceSpans[] => [
  resourceSpans('svc', Array.from({ length: n }, (_, i) => ({ traceId, spanId: (i + 1).toString(16).padStart(16, '0'), name: `s${i}`, startMs: 1, endMs: 2 }))),
];

function fakeBackend(answers: (OtlpResourceSpans[] | 404)[], shape: (rs: OtlpResourceSpans[]) => unknown = (rs) => ({ result: { resourceSpans: rs } })) {
  const urls: string[] = [];
  let clock = 0;
  let call = 0;
  const fetchImpl = (async (url: string) => {
    urls.push(url);
    const answer = answers[Math.min(call, answers.length - 1)]!;
    call += 1;
    if (answer === 404) return new Response('{}', { status: 404 });
    return new Response(JSON.stringify(shape(answer)), { status: 200 });
  }) as unknown as typeof fetch;
  const lookup = createTraceLookup({
    baseUrl: 'http://collector.test/',
    fetch: fetchImpl,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
  });
  return { lookup, urls, calls: () => call };
}

describe('trace lookup', () => {
  it('polls until the span count is stable for two polls and reports progress', async () => {
    const { lookup, calls } = fakeBackend([404, withSpans(2), withSpans(4), withSpans(4), withSpans(9)]);
    const progress: number[] = [];
    const result = await lookup.fetchSettled(traceId, { onProgress: (rs) => progress.push(rs[0]!.scopeSpans![0]!.spans!.length) });
    expect(result?.[0]?.scopeSpans?.[0]?.spans).toHaveLength(4);
    expect(progress).toEqual([2, 4, 4]);
    expect(calls()).toBe(4);
  });

  it('gives up after the max wait with what it has', async () => {
    const { lookup, urls } = fakeBackend([404]);
    expect(await lookup.fetchSettled(traceId)).toBeUndefined();
    // One poll a second for 30 s; each poll tries the three known paths while none answers.
    const polls = urls.filter((url) => url.includes('/api/v3/')).length;
    expect(polls).toBeGreaterThanOrEqual(30);
    expect(polls).toBeLessThanOrEqual(31);
  });

  it('falls back to Tempo and legacy Jaeger paths when /api/v3 does not exist', async () => {
    const urls: string[] = [];
    const lookup = createTraceLookup({
      baseUrl: 'http://tempo.test',
      fetch: (async (url: string) => {
        urls.push(url);
        if (url.includes('/api/v3/')) return new Response('not found', { status: 404 });
        return new Response(JSON.stringify({ batches: withSpans(1) }), { status: 200 });
      }) as unknown as typeof fetch,
    });
    expect(await lookup.fetchOnce(traceId)).toHaveLength(1);
    expect(urls).toEqual([`http://tempo.test/api/v3/traces/${traceId}`, `http://tempo.test/api/traces/${traceId}`]);
    await lookup.fetchOnce(traceId);
    expect(urls.at(-1)).toBe(`http://tempo.test/api/traces/${traceId}`);
    expect(urls).toHaveLength(3);
  });

  it('never requests malformed trace ids', async () => {
    const { lookup, urls } = fakeBackend([withSpans(1)]);
    expect(await lookup.fetchOnce('../../etc/passwd')).toBeUndefined();
    expect(urls).toHaveLength(0);
  });

  it('rejects with the network error when the endpoint never answered', async () => {
    let clock = 0;
    const lookup = createTraceLookup({
      baseUrl: 'http://down.test',
      fetch: (async () => {
        throw new TypeError('Failed to fetch');
      }) as unknown as typeof fetch,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    await expect(lookup.fetchSettled(traceId)).rejects.toThrow('Failed to fetch');
  });
});
