import type { AdapterStatus, FetchTraceOptions, PanelAdapter } from './adapter';
import { backfillTraces, prefetchNewest, requestNewest } from './collector-http-backfill';
import type { PendingPage } from './collector-http-backfill';
import { fetchTraceListing, requestTraceListing } from './trace-listing';
import type { TraceListItem, TraceListing } from './trace-listing';
import { createListenerSet } from './listeners';
import { parseTraceResponse } from './trace-shapes';
import { createTraceLookup } from './trace-lookup';
import { fetchTraceLogs } from './logs-lookup';
import { parseDashboard } from './parse-dashboard';
import type { OtlpResourceSpans } from './otlp-types';

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
  /** That list's request, when the page already started it (requestTraceListing with the same limit). */
  listRequest?: Promise<Response>;
  /** That list already read (fetchTraceListing of such a request): the standalone page's inline script reads it first. */
  listing?: Promise<TraceListing | undefined>;
  backoff?: { initialMs?: number; maxMs?: number };
  /**
   * Load the newest messages' spans right after the list (default true). A page opened to show one
   * trace (`?trace=`) leaves it off: that trace's lookup should not share the start with them.
   */
  prefetch?: boolean;
}

const CLOSED = 2;

/** Resolves right after the next frame has been drawn (soon, where there are no frames). */
const afterNextPaint = (): Promise<void> =>
  new Promise((resolve) => {
    if (typeof requestAnimationFrame === 'function' && typeof document !== 'undefined' && !document.hidden) requestAnimationFrame(() => setTimeout(resolve, 0));
    else setTimeout(resolve, 0);
  });

function traceIdsOf(resourceSpans: OtlpResourceSpans[]): Set<string> {
  const ids = new Set<string>();
  for (const resource of resourceSpans) for (const scope of resource.scopeSpans ?? []) for (const span of scope.spans ?? []) if (typeof span?.traceId === 'string') ids.add(span.traceId.toLowerCase());
  return ids;
}

/** The collector adapter; the page that makes it may wait for the list before showing the panel. */
export interface CollectorAdapter extends PanelAdapter {
  /**
   * Settles once the list asked for at start has been answered and read, or has failed: a panel
   * mounted after it draws the rows in its first render.
   */
  readonly listSettled: Promise<void>;
}

/**
 * Reads the dev collector: recent traces listed by /api/traces with their rows (spans only for the
 * newest few; the rest when opened), then the /api/live SSE feed from the list's lastEventId. The
 * browser resumes EventSource with Last-Event-ID on its own; when the feed closes for good (e.g. the collector restarted) a new one
 * is opened with backoff, resuming after the last id seen.
 */
export function createCollectorAdapter(options: CollectorAdapterOptions): CollectorAdapter {
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
  // Listed traces whose spans this adapter has not sent (bounded by the backfill limit). When the
  // live feed brings more spans of one, the whole trace is fetched, so its row never reads from a
  // handful of live spans.
  const unloaded = new Set<string>();
  // Traces the live feed touched while a listing was being fetched: it may predate their spans.
  let touchedDuringList: Set<string> | undefined;

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
    if (!resourceSpans?.length) return;
    listeners.emit({ type: 'spans', resourceSpans });
    for (const traceId of traceIdsOf(resourceSpans)) {
      touchedDuringList?.add(traceId);
      if (unloaded.has(traceId)) loadWhole(traceId);
    }
  };

  function loadWhole(traceId: string): void {
    unloaded.delete(traceId);
    lookup
      .fetchOnce(traceId)
      .then((resourceSpans) => {
        if (resourceSpans?.length && !disposed) listeners.emit({ type: 'spans', resourceSpans });
      })
      .catch(() => {
        unloaded.add(traceId);
      });
  }

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

  /** Oldest first, like spans: the panel's store drops the traces it saw first. */
  function emitListing(traces: TraceListItem[]): void {
    unloaded.clear();
    for (const trace of traces) unloaded.add(trace.traceId);
    listeners.emit({ type: 'listed', traces: [...traces].reverse() });
  }

  async function backfill(): Promise<void> {
    backfilled = true;
    const touched = new Set<string>();
    touchedDuringList = touched;
    try {
      await backfillTraces({
        baseUrl,
        fetch: doFetch,
        limit: options.backfillLimit ?? 100,
        fetchOne: (traceId) => lookup.fetchOnce(traceId),
        emit: (resourceSpans) => listeners.emit({ type: 'spans', resourceSpans }),
        emitListing: (traces) => {
          emitListing(traces);
          for (const traceId of touched) if (unloaded.has(traceId)) loadWhole(traceId);
        },
        stopped: () => disposed,
      });
    } catch {
      backfilled = false;
    } finally {
      if (touchedDuringList === touched) touchedDuringList = undefined;
    }
  }

  /**
   * Start (as soon as the adapter is made, so the request overlaps loading the panel's UI): the
   * list first (its rows are all the message list needs), then the newest trace's spans, which
   * travel while the list is drawn; after the list's first paint the live feed from the list's
   * lastEventId, so nothing stored in between is missed, and the spans of the newest few traces.
   * A collector whose list has no rows or no lastEventId gets the feed first and the full
   * backfill, as before.
   */
  function begin(listing: TraceListing | undefined): void {
    if (disposed) return;
    if (!listing || listing.lastEventId === undefined) {
      openFeed();
      return;
    }
    emitListing(listing.traces);
    lastEventId = String(listing.lastEventId);
    backfilled = true;
    // The newest trace's spans are asked for now that the list is in: a 5,000-span trace is 3.4 MB
    // that the collector would otherwise serialise and send while the list is still on its way.
    const newest = prefetching ? requestNewest({ baseUrl, fetch: doFetch }) : undefined;
    // Once the list is on screen: the feed resumes from lastEventId, so waiting loses nothing, and
    // its request stays out of the list's first frame. The prefetched spans are read then too.
    void afterNextPaint().then(() => {
      openFeed();
      if (newest) void prefetch(listing.traces, newest);
    });
  }

  async function prefetch(traces: TraceListItem[], newest: PendingPage): Promise<void> {
    if (disposed) return;
    const emit = (resourceSpans: OtlpResourceSpans[]): void => listeners.emit({ type: 'spans', resourceSpans });
    const prefetched = await prefetchNewest({ baseUrl, fetch: doFetch, emit, stopped: () => disposed }, traces, newest).catch(() => new Set<string>());
    for (const traceId of prefetched) unloaded.delete(traceId);
  }

  // The rows wait for someone to show them; when the answer came first, the first subscriber gets
  // them before it returns, so the panel's first render already lists them.
  let subscribed = false;
  let whenSubscribed: (() => void) | undefined;
  const listRequest = options.listing ?? fetchTraceListing(options.listRequest ?? requestTraceListing(baseUrl, doFetch, options.backfillLimit ?? 100));
  const prefetching = options.prefetch ?? true;
  const listSettled = listRequest
    .catch(() => undefined)
    .then((listing) => {
      if (subscribed) begin(listing);
      else whenSubscribed = () => begin(listing);
    });

  return {
    listSettled,
    subscribe: (listener) => {
      const unsubscribe = listeners.add(listener);
      if (!subscribed) {
        subscribed = true;
        whenSubscribed?.();
        whenSubscribed = undefined;
      }
      return unsubscribe;
    },
    fetchTrace: (traceId: string, fetchOptions?: FetchTraceOptions) => {
      // Opened: the caller gets the whole trace, later live spans are simply added to it.
      unloaded.delete(traceId);
      return lookup.fetchSettled(traceId, fetchOptions);
    },
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
