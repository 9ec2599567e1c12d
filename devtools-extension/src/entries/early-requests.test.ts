import { describe, expect, it, vi } from 'vitest';
import { createCollectorAdapter } from '../bridge/collector-http';
import type { PanelEvent } from '../bridge/adapter';
import { listingUrl } from '../bridge/trace-listing';
import { FakeEventSource } from '../testing/fake-event-source';
import { traceIdOf } from '../testing/otlp-fixtures';
import { EARLY_REQUESTS_KEY, fetchWithEarly, startEarlyRequests, takeEarlyRequests } from './early-requests';

const BASE = 'http://collector.test';
const row = (n: number) => ({ traceId: traceIdOf(n), rootName: 'chat.message', services: ['browser'], spanCount: 1, errorCount: 0, startTimeUnixNano: '1000000', status: 'complete', messageId: `m-${n}`, message: {} });
const listing = (...ns: number[]) => new Response(JSON.stringify({ traces: ns.map(row), lastEventId: 7 }));

/** A fetch that records each URL and answers `answer(url)`. */
function recordingFetch(answer: (url: string) => Response = () => new Response('{}')) {
  const urls: string[] = [];
  const doFetch = (async (input: RequestInfo | URL) => {
    urls.push(String(input));
    return answer(String(input));
  }) as typeof fetch;
  return { urls, doFetch };
}

describe('early requests of the standalone page', () => {
  it('answers the first GET of an early URL with the request already made, and later ones from the network', async () => {
    const network = recordingFetch(() => new Response('network'));
    const early = startEarlyRequests([`${BASE}/a`], async () => new Response('early'));
    const doFetch = fetchWithEarly(early, network.doFetch);
    expect(await (await doFetch(`${BASE}/a`, { headers: { accept: 'application/json' } })).text()).toBe('early');
    expect(await (await doFetch(`${BASE}/a`)).text()).toBe('network');
    expect(await (await doFetch(`${BASE}/b`)).text()).toBe('network');
    expect(network.urls).toEqual([`${BASE}/a`, `${BASE}/b`]);
  });

  it('leaves requests with a method or an abort signal to the network', async () => {
    const network = recordingFetch(() => new Response('network'));
    const doFetch = fetchWithEarly(startEarlyRequests([`${BASE}/a`], async () => new Response('early')), network.doFetch);
    expect(await (await doFetch(`${BASE}/a`, { method: 'POST' })).text()).toBe('network');
    expect(await (await doFetch(`${BASE}/a`, { signal: new AbortController().signal })).text()).toBe('network');
    expect(await (await doFetch(`${BASE}/a`)).text()).toBe('early');
  });

  it('hands a failed early request to its taker as a rejection, and none unhandled before', async () => {
    // An unhandled rejection would fail this run (vitest reports them as errors).
    const early = startEarlyRequests([`${BASE}/a`], async () => {
      throw new TypeError('connection refused');
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    await expect(fetchWithEarly(early, recordingFetch().doFetch)(`${BASE}/a`)).rejects.toThrow('connection refused');
  });

  it('is taken once from where the inline script left it', () => {
    const scope: Record<string, unknown> = { [EARLY_REQUESTS_KEY]: startEarlyRequests([`${BASE}/a`], async () => new Response('')) };
    expect(takeEarlyRequests(scope)?.has(`${BASE}/a`)).toBe(true);
    expect(takeEarlyRequests(scope)).toBeUndefined();
    expect(takeEarlyRequests({ [EARLY_REQUESTS_KEY]: 'not requests' })).toBeUndefined();
  });

  it('lets the collector adapter list from the early answer without asking for the list again', async () => {
    const early = startEarlyRequests([listingUrl(BASE, 50)], async () => listing(2, 1));
    const network = recordingFetch(() => listing(9));
    const sources: FakeEventSource[] = [];
    const adapter = createCollectorAdapter({
      baseUrl: BASE,
      fetch: fetchWithEarly(early, network.doFetch),
      backfillLimit: 50,
      prefetch: false,
      createEventSource: (url) => {
        const source = new FakeEventSource(url);
        sources.push(source);
        return source;
      },
    });
    const events: PanelEvent[] = [];
    adapter.subscribe((event) => events.push(event));
    await vi.waitFor(() => expect(sources).toHaveLength(1));
    const listed = events.find((event) => event.type === 'listed');
    expect(listed?.type === 'listed' && listed.traces.map((trace) => trace.messageId)).toEqual(['m-1', 'm-2']);
    expect(sources[0]!.url).toBe(`${BASE}/api/live?lastEventId=7`);
    expect(network.urls.filter((url) => url.includes('/api/traces?limit='))).toEqual([]);
    adapter.dispose?.();
  });
});
