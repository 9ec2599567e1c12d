import { describe, expect, it } from 'vitest';
import { fetchTraceLogs } from './logs-lookup';
import { parseDashboard } from './parse-dashboard';
import { createCollectorAdapter } from './collector-http';
import type { EventSourceLike } from './collector-http';

const traceId = 'ab'.repeat(16);
const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const quietFeed = (): EventSourceLike => ({
  readyState: 0, onopen: null, onerror: null,
  addEventListener() {}, removeEventListener() {}, close() {},
});

describe('log lookup', () => {
  it('reads /api/logs/{traceId} of the dev collector, and answers undefined where an endpoint has no logs', async () => {
    const urls: string[] = [];
    const records = [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'hi' } }] }] }];
    const collector = async (url: string | URL | Request) => {
      urls.push(String(url));
      return json(200, { resourceLogs: records });
    };
    expect(await fetchTraceLogs('http://127.0.0.1:4318/', traceId, { fetch: collector as typeof fetch })).toEqual(records);
    expect(urls).toEqual([`http://127.0.0.1:4318/api/logs/${traceId}`]);
    const jaeger = async () => json(404, { error: 'not found' });
    expect(await fetchTraceLogs('http://jaeger:16686', traceId, { fetch: jaeger as typeof fetch })).toBeUndefined();
    const odd = async () => json(200, { data: [] });
    expect(await fetchTraceLogs('http://x', traceId, { fetch: odd as typeof fetch })).toBeUndefined();
    expect(await fetchTraceLogs('http://x', '../../etc', { fetch: collector as typeof fetch })).toBeUndefined();
    expect(urls).toHaveLength(1);
  });
});

describe('dashboard', () => {
  it('keeps well-formed fields and drops malformed slowest entries', () => {
    const parsed = parseDashboard({
      windowSeconds: 300, messages: 2,
      ttftVisibleMs: { count: 1, p50: 400, p95: 400 },
      layers: { model: { count: 1, p50: 250, p95: 'x' } },
      errors: { failedMessages: 1, rate: 0.5, byLayer: [{ layer: 'model-service/chat m', service: 'model-service', spanName: 'chat m', count: 1, rate: 0.5 }, { nope: 1 }] },
      outcomes: { complete: 1, error: 1, weird: 'x' },
      slowest: [
        { traceId, messageId: 'm-1', ttftVisibleMs: 400, durationMs: 900, outcome: 'complete', responsible: { layer: 'model', reason: 'largest', ms: 250 } },
        { traceId: '<script>', messageId: 'bad' },
      ],
      recentFailures: [
        { traceId, messageId: 'm-2', ttftVisibleMs: null, durationMs: 300, outcome: 'error', responsible: { layer: 'model-service/chat m', reason: 'error' } },
        'not a message',
      ],
    });
    expect(parsed?.layers.model).toEqual({ count: 1, p50: 250, p95: null });
    expect(parsed?.errors.byLayer).toHaveLength(1);
    expect(parsed?.outcomes).toEqual({ complete: 1, error: 1 });
    expect(parsed?.slowest.map((m) => m.messageId)).toEqual(['m-1']);
    expect(parsed?.recentFailures?.map((m) => m.messageId)).toEqual(['m-2']);
    expect(parseDashboard({ error: 'nope' })).toBeUndefined();
  });

  it('the collector adapter asks /api/dashboard with the window and reports HTTP errors', async () => {
    const urls: string[] = [];
    let status = 200;
    const doFetch = async (url: string | URL | Request) => {
      urls.push(String(url));
      if (String(url).includes('/api/dashboard')) return json(status, status === 200 ? { messages: 0, slowest: [] } : { error: 'boom' });
      return json(200, { traces: [] });
    };
    const adapter = createCollectorAdapter({ baseUrl: 'http://127.0.0.1:4318', fetch: doFetch as typeof fetch, createEventSource: quietFeed });
    const summary = await adapter.fetchDashboard!({ windowSeconds: 3600, slowest: 5 });
    expect(summary.messages).toBe(0);
    expect(urls).toContain('http://127.0.0.1:4318/api/dashboard?window=3600&slowest=5');
    status = 500;
    await expect(adapter.fetchDashboard!()).rejects.toThrow('dashboard: HTTP 500');
    adapter.dispose?.();
  });
});
