import { describe, expect, it, vi } from 'vitest';
import { createCollectorAdapter } from '../bridge/collector-http';
import type { PanelEvent } from '../bridge/adapter';
import { requestTraceListing } from '../bridge/trace-listing';
import { FakeEventSource } from '../testing/fake-event-source';
import { traceIdOf } from '../testing/otlp-fixtures';
import { EARLY_LIST_KEY, leaveEarlyList, takeEarlyList } from './early-requests';

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

function adapterWith(listRequest: Promise<Response> | undefined, network: ReturnType<typeof recordingFetch>) {
  const sources: FakeEventSource[] = [];
  const adapter = createCollectorAdapter({
    baseUrl: BASE,
    fetch: network.doFetch,
    backfillLimit: 50,
    ...(listRequest ? { listRequest } : {}),
    prefetch: false,
    createEventSource: (url) => {
      const source = new FakeEventSource(url);
      sources.push(source);
      return source;
    },
  });
  const events: PanelEvent[] = [];
  adapter.subscribe((event) => events.push(event));
  return { adapter, sources, events };
}

describe('the early list request of the standalone page', () => {
  it('is taken once from where the inline script left it', () => {
    const scope: Record<string, unknown> = {};
    const request = Promise.resolve(new Response(''));
    leaveEarlyList(request, scope);
    expect(takeEarlyList(scope)).toBe(request);
    expect(takeEarlyList(scope)).toBeUndefined();
    expect(takeEarlyList({ [EARLY_LIST_KEY]: 'not a request' })).toBeUndefined();
  });

  it('asks for the list the adapter would ask for', async () => {
    const network = recordingFetch();
    await requestTraceListing(BASE, network.doFetch, 50);
    expect(network.urls).toEqual([`${BASE}/api/traces?limit=50`]);
  });

  it('lets the collector adapter list from the early answer without asking for the list again', async () => {
    const network = recordingFetch(() => listing(9));
    const { adapter, sources, events } = adapterWith(Promise.resolve(listing(2, 1)), network);
    await vi.waitFor(() => expect(sources).toHaveLength(1));
    const listed = events.find((event) => event.type === 'listed');
    expect(listed?.type === 'listed' && listed.traces.map((trace) => trace.messageId)).toEqual(['m-1', 'm-2']);
    expect(sources[0]!.url).toBe(`${BASE}/api/live?lastEventId=7`);
    expect(network.urls.filter((url) => url.includes('/api/traces?limit='))).toEqual([]);
    adapter.dispose?.();
  });

  it('a failed early request leaves no unhandled rejection, and the panel still follows the live feed', async () => {
    // An unhandled rejection would fail this run (vitest reports them as errors).
    const scope: Record<string, unknown> = {};
    leaveEarlyList(Promise.reject(new TypeError('connection refused')), scope);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const { adapter, sources } = adapterWith(takeEarlyList(scope), recordingFetch());
    await vi.waitFor(() => expect(sources).toHaveLength(1));
    expect(sources[0]!.url).toBe(`${BASE}/api/live`);
    adapter.dispose?.();
  });
});
