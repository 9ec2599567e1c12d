import { describe, expect, it, vi } from 'vitest';
import { createCollectorAdapter } from '../bridge/collector-http';
import type { PanelEvent } from '../bridge/adapter';
import { fetchTraceListing, readTraceListing, requestTraceListing } from '../bridge/trace-listing';
import type { TraceListing } from '../bridge/trace-listing';
import { FakeEventSource } from '../testing/fake-event-source';
import { traceIdOf } from '../testing/otlp-fixtures';
import { EARLY_LIST_KEY, leaveEarlyList, takeEarlyList } from './early-requests';
import { EMBEDDED_LISTING_ID, embeddedListing } from './embedded-listing';

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

function adapterWith(listing: Promise<TraceListing | undefined> | undefined, network: ReturnType<typeof recordingFetch>) {
  const sources: FakeEventSource[] = [];
  const adapter = createCollectorAdapter({
    baseUrl: BASE,
    fetch: network.doFetch,
    backfillLimit: 50,
    ...(listing ? { listing } : {}),
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
    const early = { listing: Promise.resolve(undefined), drawn: Promise.resolve(undefined) };
    leaveEarlyList(early, scope);
    expect(takeEarlyList(scope)).toBe(early);
    expect(takeEarlyList(scope)).toBeUndefined();
    expect(takeEarlyList({ [EARLY_LIST_KEY]: Promise.resolve(new Response('')) })).toBeUndefined();
  });

  it('asks for the list the adapter would ask for', async () => {
    const network = recordingFetch();
    await requestTraceListing(BASE, network.doFetch, 50);
    expect(network.urls).toEqual([`${BASE}/api/traces?limit=50`]);
  });

  it('lets the collector adapter list from the early answer without asking for the list again', async () => {
    const network = recordingFetch(() => listing(9));
    const { adapter, sources, events } = adapterWith(fetchTraceListing(Promise.resolve(listing(2, 1))), network);
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
    const listing = fetchTraceListing(Promise.reject(new TypeError('connection refused')));
    leaveEarlyList({ listing, drawn: listing.then(() => undefined) }, scope);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const { adapter, sources } = adapterWith(takeEarlyList(scope)?.listing, recordingFetch());
    await vi.waitFor(() => expect(sources).toHaveLength(1));
    expect(sources[0]!.url).toBe(`${BASE}/api/live`);
    adapter.dispose?.();
  });
});

describe('the list the collector embeds in the standalone page', () => {
  const page = (limit: string, text: string): Document => {
    const doc = document.implementation.createHTMLDocument('panel');
    const element = doc.createElement('script');
    element.type = 'application/json';
    element.id = EMBEDDED_LISTING_ID;
    element.setAttribute('data-limit', limit);
    element.textContent = text;
    doc.body.append(element);
    return doc;
  };
  const body = JSON.stringify({ traces: [row(2), row(1)], lastEventId: 12 }).replace(/</g, '\\u003c');

  it('is read as the list the page would have asked for, with its lastEventId', () => {
    expect(embeddedListing(page('50', body), 50)).toEqual(readTraceListing(JSON.parse(body)));
    expect(embeddedListing(page('50', body), 50)?.lastEventId).toBe(12);
    expect(embeddedListing(page('50', body), 50)?.traces.map((trace) => trace.messageId)).toEqual(['m-2', 'm-1']);
    // The collector's compact form of the same list.
    const rows = { format: 'rows-1', lastEventId: 12, services: ['browser'], rows: [2, 1].map((n) => [traceIdOf(n), 'chat.message', [0], 1, 0, '1000000', 'complete', null, null, `m-${n}`, [null, null, null, null, null, null]]) };
    expect(embeddedListing(page('50', JSON.stringify(rows)), 50)).toEqual(readTraceListing(JSON.parse(body)));
  });

  it('is ignored when made for another list size, unreadable, or absent (the page asks for its list)', () => {
    expect(embeddedListing(page('100', body), 50)).toBeUndefined();
    expect(embeddedListing(page('50', '{"traces":'), 50)).toBeUndefined();
    expect(embeddedListing(page('50', '{"traces":[{"traceId":"x"}]}'), 50)).toBeUndefined();
    expect(embeddedListing(document.implementation.createHTMLDocument('panel'), 50)).toBeUndefined();
  });
});
