import { describe, expect, it } from 'vitest';
import { createCollectorAdapter } from './collector-http';
import type { EventSourceLike } from './collector-http';
import type { PanelEvent } from './adapter';
import { resourceSpans, spanIdOf, traceIdOf } from '../testing/otlp-fixtures';

class FakeEventSource implements EventSourceLike {
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  listeners = new Map<string, Set<(event: MessageEvent) => void>>();
  closed = false;
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: MessageEvent) => void): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }
  removeEventListener(type: string, listener: (event: MessageEvent) => void): void {
    this.listeners.get(type)?.delete(listener);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  emit(id: string, data: unknown): void {
    for (const listener of this.listeners.get('spans') ?? []) listener(new MessageEvent('spans', { data: JSON.stringify(data), lastEventId: id }));
  }
  fail(): void {
    this.readyState = 2;
    this.onerror?.(new Event('error'));
  }
}

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
});
