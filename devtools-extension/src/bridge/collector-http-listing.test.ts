import { describe, expect, it, vi } from 'vitest';
import { createCollectorAdapter } from './collector-http';
import type { PanelEvent } from './adapter';
import { FakeEventSource } from '../testing/fake-event-source';
import { resourceSpans, spanIdOf, traceIdOf } from '../testing/otlp-fixtures';
import { PREFETCH_TRACES } from './collector-http-backfill';

const span = (n: number, name = `root ${n}`, spanN = n) => resourceSpans('svc', [{ traceId: traceIdOf(n), spanId: spanIdOf(spanN), name, startMs: n, endMs: n + 1 }]);
const nanos = (ms: number): string => (BigInt(ms) * 1_000_000n).toString();
/** A summary as the collector lists it: with the row (`status`, `message`). */
const row = (n: number, spanCount = 1) => ({
  traceId: traceIdOf(n), rootName: 'chat.message', rootService: 'browser', services: ['browser'], spanCount, errorCount: 0,
  startTimeUnixNano: nanos(n), durationMs: 1, updatedAtMs: n, status: 'complete', rootDurationMs: 1,
  messageId: `m-${n}`, message: { startTimeUnixNano: nanos(n), transport: 'fetch', ttftVisibleMs: 40 + n },
});
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** A collector whose list carries rows; traces 1..count, newest = highest. */
function rowsCollector(count: number, lastEventId = 41, subscribeLater = false, prefetch = true) {
  const requests: string[] = [];
  const ids = Array.from({ length: count }, (_, i) => count - i);
  const fetchImpl = (async (url: string) => {
    requests.push(url.replace('http://collector.test', ''));
    const parsed = new URL(url);
    const one = /traces\/([0-9a-f]{32})$/.exec(parsed.pathname)?.[1];
    if (one) return new Response(JSON.stringify({ result: { resourceSpans: [span(parseInt(one, 16), 'whole')] } }));
    const offset = Number(parsed.searchParams.get('offset') ?? 0);
    const listed = ids.slice(offset, offset + Number(parsed.searchParams.get('limit')));
    if (parsed.searchParams.get('spans') === '1') {
      return new Response(JSON.stringify({ traces: listed.map((n) => row(n)), resourceSpans: listed.map((n) => span(n)), spansTraces: listed.length, truncated: false }));
    }
    return new Response(JSON.stringify({ traces: listed.map((n) => row(n)), lastEventId }));
  }) as unknown as typeof fetch;
  const sources: FakeEventSource[] = [];
  const adapter = createCollectorAdapter({
    baseUrl: 'http://collector.test',
    fetch: fetchImpl,
    createEventSource: (url) => {
      const source = new FakeEventSource(url);
      sources.push(source);
      return source;
    },
    backfillLimit: count,
    prefetch,
  });
  const events: PanelEvent[] = [];
  const subscribe = () => adapter.subscribe((event) => events.push(event));
  if (!subscribeLater) subscribe();
  const spanNames = () => events.flatMap((event) => (event.type === 'spans' ? event.resourceSpans.flatMap((r) => r.scopeSpans!.flatMap((s) => s.spans!.map((x) => `${x.name}`))) : []));
  return { adapter, requests, events, sources, spanNames, subscribe };
}

describe('collector adapter with a listing collector', () => {
  it('lists every trace from one request, follows the feed from the list, and loads spans only for the newest screenful', async () => {
    const { adapter, requests, events, sources, spanNames } = rowsCollector(100);
    await vi.waitFor(() => expect(spanNames()).toHaveLength(PREFETCH_TRACES));
    const listed = events.find((event) => event.type === 'listed');
    expect(listed?.type === 'listed' && listed.traces.map((t) => t.traceId)).toEqual(Array.from({ length: 100 }, (_, i) => traceIdOf(i + 1)));
    expect(listed?.type === 'listed' && listed.traces[99]).toMatchObject({ messageId: 'm-100', transport: 'fetch', ttftMs: 140, status: 'complete', isChatMessage: true, startMs: 100 });
    // Nothing stored after the list was made is missed: the feed resumes from its lastEventId.
    expect(sources.map((source) => source.url)).toEqual(['http://collector.test/api/live?lastEventId=41']);
    // The newest trace's spans were asked for once the list was in; the rest of a screenful after it.
    expect(requests).toEqual(['/api/traces?limit=100', '/api/traces?limit=1&spans=1', `/api/traces?limit=${PREFETCH_TRACES - 1}&spans=1&offset=1`]);
    expect(spanNames()).toEqual(['root 100', ...Array.from({ length: PREFETCH_TRACES - 1 }, (_, i) => `root ${100 - PREFETCH_TRACES + 1 + i}`)]);
    // Opening the feed does not load everything again.
    sources[0]!.open();
    await settle();
    expect(requests).toHaveLength(3);
    adapter.dispose!();
  });

  it('fetches the whole of a listed trace when the live feed brings more of its spans, and only once', async () => {
    const { adapter, requests, sources, spanNames } = rowsCollector(30);
    // The prefetch (the newest screenful, 20 traces of one span) is handed over in slices.
    await vi.waitFor(() => expect(spanNames()).toHaveLength(PREFETCH_TRACES));
    sources[0]!.open();
    const before = spanNames().length;
    // Trace 1 is listed, not prefetched: a late span of it arrives.
    sources[0]!.emit('42', { resourceSpans: [span(1, 'late', 99)] });
    await settle();
    expect(requests.at(-1)).toBe(`/api/v3/traces/${traceIdOf(1)}`);
    expect(spanNames().slice(before)).toEqual(['late', 'whole']);
    sources[0]!.emit('43', { resourceSpans: [span(1, 'later', 98)] });
    // A prefetched trace (the newest) is simply extended.
    sources[0]!.emit('44', { resourceSpans: [span(30, 'late newest', 97)] });
    await settle();
    expect(requests.filter((url) => url.startsWith('/api/v3/traces/'))).toEqual([`/api/v3/traces/${traceIdOf(1)}`]);
    adapter.dispose!();
  });

  it('asks for the list at once and keeps its rows for the first subscriber (the UI loads meanwhile)', async () => {
    const { adapter, requests, events, sources, subscribe } = rowsCollector(3, 41, true);
    expect(requests).toEqual(['/api/traces?limit=3']);
    await settle();
    expect(sources).toHaveLength(0);
    subscribe();
    // The rows at once, and the newest trace's spans asked for; the live feed once they are on screen.
    expect(events.filter((event) => event.type === 'listed')).toHaveLength(1);
    expect(requests).toEqual(['/api/traces?limit=3', '/api/traces?limit=1&spans=1']);
    expect(sources).toHaveLength(0);
    await vi.waitFor(() => expect(sources).toHaveLength(1));
    adapter.dispose!();
  });

  it('says when the list is in, so a panel mounted then lists the rows in its first render', async () => {
    const { adapter, events, subscribe } = rowsCollector(3, 41, true);
    await adapter.listSettled;
    subscribe();
    const listed = events.find((event) => event.type === 'listed');
    expect(listed?.type === 'listed' && listed.traces.map((trace) => trace.messageId)).toEqual(['m-1', 'm-2', 'm-3']);
    adapter.dispose!();
  });

  it('loads no spans up front when told not to (a page opened on one trace)', async () => {
    const { adapter, requests, spanNames } = rowsCollector(30, 41, false, false);
    await settle();
    expect(requests).toEqual(['/api/traces?limit=30']);
    expect(spanNames()).toEqual([]);
    adapter.dispose!();
  });

  it('needs no refetch for a trace the panel opened', async () => {
    const { adapter, requests, sources } = rowsCollector(30);
    await settle();
    await adapter.fetchTrace(traceIdOf(2), { signal: AbortSignal.abort() });
    sources[0]!.emit('42', { resourceSpans: [span(2, 'late', 99)] });
    await settle();
    expect(requests.filter((url) => url.startsWith('/api/v3/traces/'))).toEqual([]);
    adapter.dispose!();
  });
});
