import { describe, expect, it } from 'vitest';
import { createCollectorAdapter } from './collector-http';
import { FakeEventSource } from '../testing/fake-event-source';
import type { PanelEvent } from './adapter';
import { resourceSpans, spanIdOf, traceIdOf } from '../testing/otlp-fixtures';

const span = (n: number) => resourceSpans('svc', [{ traceId: traceIdOf(n), spanId: spanIdOf(n), name: `root ${n}`, startMs: n, endMs: n + 1 }]);

describe('collector adapter', () => {
  it('backfills recent traces, follows the live feed and reopens it after the last id when it closes', async () => {
    const sources: FakeEventSource[] = [];
    const fetchImpl = (async (url: string) => {
      if (url.endsWith('/api/traces?limit=100')) return new Response(JSON.stringify({ traces: [{ traceId: traceIdOf(2) }, { traceId: traceIdOf(1) }] }));
      const id = /traces\/([0-9a-f]{32})$/.exec(url)?.[1];
      const n = id ? parseInt(id, 16) : 0;
      return new Response(JSON.stringify({ result: { resourceSpans: [span(n)] } }));
    }) as unknown as typeof fetch;
    const adapter = createCollectorAdapter({
      baseUrl: 'http://collector.test',
      fetch: fetchImpl,
      createEventSource: (url) => {
        const source = new FakeEventSource(url);
        sources.push(source);
        return source;
      },
      backoff: { initialMs: 1 },
    });
    const events: PanelEvent[] = [];
    adapter.subscribe((event) => events.push(event));
    const names = () => events.flatMap((event) => (event.type === 'spans' ? event.resourceSpans.flatMap((r) => r.scopeSpans!.flatMap((s) => s.spans!.map((x) => x.name))) : []));

    // This collector's list has no rows: the feed opens first and the backfill loads the spans.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sources[0]!.url).toBe('http://collector.test/api/live');
    sources[0]!.open();
    expect(adapter.status().state).toBe('connected');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(names()).toEqual(['root 1', 'root 2']);

    sources[0]!.emit('7', { resourceSpans: [span(3)] });
    expect(names()).toContain('root 3');

    sources[0]!.fail();
    expect(adapter.status().state).toBe('reconnecting');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sources[1]!.url).toBe('http://collector.test/api/live?lastEventId=7');
    adapter.dispose!();
    expect(sources[1]!.closed).toBe(true);
  });

  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

  /** A collector holding traces 1..count (n newest = highest); `bulk` says how it answers `spans=1`. */
  async function collector(count: number, bulk: 'bulk' | 'plain' | 'refuse', pageSize = count, failOffset = -1) {
    const requests: string[] = [];
    const ids = Array.from({ length: count }, (_, i) => count - i); // newest first
    const fetchImpl = (async (url: string) => {
      requests.push(url.replace('http://collector.test', ''));
      const parsed = new URL(url);
      const one = /traces\/([0-9a-f]{32})$/.exec(parsed.pathname)?.[1];
      if (one) return new Response(JSON.stringify({ result: { resourceSpans: [span(parseInt(one, 16))] } }));
      const offset = Number(parsed.searchParams.get('offset') ?? 0);
      const listed = ids.slice(offset, offset + Number(parsed.searchParams.get('limit')));
      const traces = listed.map((n) => ({ traceId: traceIdOf(n) }));
      if (parsed.searchParams.get('spans') !== '1' || bulk === 'plain') return new Response(JSON.stringify({ traces }));
      if (bulk === 'refuse' || offset === failOffset) return new Response(JSON.stringify({ error: 'spans must be 1 or 0' }), { status: 400 });
      const withSpans = listed.slice(0, pageSize);
      return new Response(JSON.stringify({ traces, resourceSpans: withSpans.map(span), spansTraces: withSpans.length, truncated: withSpans.length < listed.length }));
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
    });
    const names: string[] = [];
    adapter.subscribe((event) => {
      if (event.type === 'spans') names.push(...event.resourceSpans.flatMap((r) => r.scopeSpans!.flatMap((s) => s.spans!.map((x) => x.name ?? ''))));
    });
    // The first list has no rows: the feed is opened, and the backfill starts when it is open. No
    // spans are asked for before a list with rows says which traces are newest.
    await settle();
    expect(requests.splice(0)).toEqual([`/api/traces?limit=${count}`]);
    sources[0]!.open();
    return { adapter, requests, names, sources };
  }
  const perTrace = (requests: string[]) => requests.filter((url) => /traces\/[0-9a-f]{32}$/.test(url));

  it('loads the recent traces with their spans in one request, oldest first', async () => {
    const { adapter, requests, names } = await collector(5, 'bulk');
    await settle();
    expect(requests).toEqual(['/api/traces?limit=5', '/api/traces?limit=5&spans=1']);
    expect(names).toEqual(['root 1', 'root 2', 'root 3', 'root 4', 'root 5']);
    adapter.dispose!();
  });

  it('continues a truncated bulk answer with offset', async () => {
    const { adapter, requests, names } = await collector(5, 'bulk', 2);
    await settle();
    expect(requests).toEqual(['/api/traces?limit=5', '/api/traces?limit=5&spans=1', '/api/traces?limit=3&spans=1&offset=2', '/api/traces?limit=1&spans=1&offset=4']);
    expect(perTrace(requests)).toEqual([]);
    expect(names).toEqual(['root 1', 'root 2', 'root 3', 'root 4', 'root 5']);
    adapter.dispose!();
  });

  it('loads many traces in pages of 100, the oldest page first, and emits them oldest first', async () => {
    const { adapter, requests, names } = await collector(250, 'bulk');
    await settle();
    expect(requests).toEqual(['/api/traces?limit=250', '/api/traces?limit=100&spans=1&offset=150', '/api/traces?limit=100&spans=1&offset=50', '/api/traces?limit=50&spans=1']);
    expect(names).toEqual(Array.from({ length: 250 }, (_, i) => `root ${i + 1}`));
    adapter.dispose!();
  });

  it('fetches each trace when the collector answers only the list (older collector)', async () => {
    const { adapter, requests, names } = await collector(3, 'plain');
    await settle();
    expect(requests.slice(0, 2)).toEqual(['/api/traces?limit=3', '/api/traces?limit=3&spans=1']);
    expect(perTrace(requests)).toHaveLength(3);
    expect(names).toEqual(['root 1', 'root 2', 'root 3']);
    adapter.dispose!();
  });

  it('falls back to the plain list and per-trace requests when the bulk request is refused', async () => {
    const { adapter, requests, names } = await collector(3, 'refuse');
    await settle();
    expect(requests.slice(0, 2)).toEqual(['/api/traces?limit=3', '/api/traces?limit=3&spans=1']);
    expect(perTrace(requests)).toHaveLength(3);
    expect(names.sort()).toEqual(['root 1', 'root 2', 'root 3']);
    adapter.dispose!();
  });

  it('fetches the traces of a failed page one by one and stops paging', async () => {
    const { adapter, requests, names } = await collector(250, 'bulk', 250, 50);
    await settle();
    expect(requests.filter((url) => url.includes('spans=1'))).toEqual(['/api/traces?limit=100&spans=1&offset=150', '/api/traces?limit=100&spans=1&offset=50']);
    expect(perTrace(requests)).toHaveLength(150);
    expect(names.slice(0, 100)).toEqual(Array.from({ length: 100 }, (_, i) => `root ${i + 1}`));
    expect(new Set(names).size).toBe(250);
    adapter.dispose!();
  });

  it('keeps following the live feed after a bulk backfill', async () => {
    const { adapter, names, sources } = await collector(2, 'bulk');
    await settle();
    sources[0]!.emit('9', { resourceSpans: [span(7)] });
    expect(names).toEqual(['root 1', 'root 2', 'root 7']);
    adapter.dispose!();
  });
});
