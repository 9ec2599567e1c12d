import type { AdapterStatus, FetchTraceOptions, PanelAdapter } from './adapter';
import { backfillTraces } from './collector-http-backfill';
import { createListenerSet } from './listeners';
import { parseTraceResponse } from './trace-shapes';
import { createTraceLookup } from './trace-lookup';
import { fetchTraceLogs } from './logs-lookup';
import { parseDashboard } from './parse-dashboard';

/** The part of EventSource the adapter uses. */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  removeEventListener(type: string, listener: (event: MessageEvent) => void): void;
  close(): void;
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
}

export interface CollectorAdapterOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  createEventSource?: (url: string) => EventSourceLike;
  /** Recent traces loaded at start (the live feed carries everything after). */
  backfillLimit?: number;
  backoff?: { initialMs?: number; maxMs?: number };
}

const CLOSED = 2;

/**
 * Reads the dev collector: recent traces from /api/traces (their spans in bulk, see
 * collector-http-backfill), then the /api/live SSE feed. The browser resumes EventSource with
 * Last-Event-ID on its own; when the feed closes for good (e.g. the collector restarted) a new one
 * is opened with backoff, resuming after the last id seen.
 */
export function createCollectorAdapter(options: CollectorAdapterOptions): PanelAdapter {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const createEventSource = options.createEventSource ?? ((url: string) => new EventSource(url) as unknown as EventSourceLike);
  const initialMs = options.backoff?.initialMs ?? 500;
  const maxMs = options.backoff?.maxMs ?? 10_000;
  const lookup = createTraceLookup({ baseUrl, fetch: doFetch });
  const listeners = createListenerSet((error) => console.error('[streamtrace] panel listener failed', error));
  const source = `collector ${baseUrl}`;
  let status: AdapterStatus = { state: 'connecting', source };
  let feed: EventSourceLike | undefined;
  let lastEventId = '';
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;
  let backfilled = false;

  const setStatus = (next: AdapterStatus): void => {
    if (next.state === status.state && next.detail === status.detail) return;
    status = next;
    listeners.emit({ type: 'status', status: next });
  };

  const onSpans = (event: MessageEvent): void => {
    if (event.lastEventId) lastEventId = event.lastEventId;
    let body: unknown;
    try {
      body = JSON.parse(String(event.data));
    } catch {
      return;
    }
    const resourceSpans = parseTraceResponse(body);
    if (resourceSpans?.length) listeners.emit({ type: 'spans', resourceSpans });
  };

  function openFeed(): void {
    if (disposed) return;
    const url = `${baseUrl}/api/live${lastEventId ? `?lastEventId=${encodeURIComponent(lastEventId)}` : ''}`;
    const next = createEventSource(url);
    feed = next;
    next.addEventListener('spans', onSpans);
    next.onopen = () => {
      attempt = 0;
      setStatus({ state: 'connected', source });
      if (!backfilled) void backfill();
    };
    next.onerror = () => {
      if (feed !== next) return;
      if (next.readyState === CLOSED) {
        next.removeEventListener('spans', onSpans);
        next.close();
        feed = undefined;
        // The gap may have lost spans the resumed feed cannot replay: load recent traces again.
        backfilled = false;
        const delay = Math.min(maxMs, initialMs * 2 ** attempt);
        attempt += 1;
        setStatus({ state: 'reconnecting', source, detail: `retry in ${delay} ms` });
        timer = setTimeout(openFeed, delay);
      } else {
        setStatus({ state: 'reconnecting', source, detail: 'live feed interrupted' });
      }
    };
  }

  async function backfill(): Promise<void> {
    backfilled = true;
    try {
      await backfillTraces({
        baseUrl,
        fetch: doFetch,
        limit: options.backfillLimit ?? 100,
        fetchOne: (traceId) => lookup.fetchOnce(traceId),
        emit: (resourceSpans) => listeners.emit({ type: 'spans', resourceSpans }),
        stopped: () => disposed,
      });
    } catch {
      backfilled = false;
    }
  }

  openFeed();

  return {
    subscribe: (listener) => listeners.add(listener),
    fetchTrace: (traceId: string, fetchOptions?: FetchTraceOptions) => lookup.fetchSettled(traceId, fetchOptions),
    fetchLogs: (traceId, signal) => fetchTraceLogs(baseUrl, traceId, { fetch: doFetch, ...(signal ? { signal } : {}) }),
    async fetchDashboard(query = {}) {
      const params = new URLSearchParams();
      if (query.windowSeconds !== undefined) params.set('window', String(query.windowSeconds));
      if (query.slowest !== undefined) params.set('slowest', String(query.slowest));
      const response = await doFetch(`${baseUrl}/api/dashboard${params.size ? `?${params}` : ''}`, {
        headers: { accept: 'application/json' },
        ...(query.signal ? { signal: query.signal } : {}),
      });
      if (!response.ok) throw new Error(`dashboard: HTTP ${response.status}`);
      const summary = parseDashboard(await response.json());
      if (!summary) throw new Error('dashboard: unexpected answer');
      return summary;
    },
    status: () => status,
    dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
      if (feed) {
        feed.removeEventListener('spans', onSpans);
        feed.close();
        feed = undefined;
      }
      setStatus({ state: 'disconnected', source });
    },
  };
}
