import type { AdapterStatus, FetchTraceOptions, PanelAdapter, PanelEvent } from './adapter';
import { createListenerSet } from './listeners';
import { PANEL_PORT_PREFIX } from './port-messages';
import type { PanelToWorker, WorkerToPanel } from './port-messages';
import type { PageMessage } from './protocol';
import { createTraceLookup } from './trace-lookup';
import { fetchTraceLogs } from './logs-lookup';
import type { TraceLookup } from './trace-lookup';

/** The part of chrome.runtime.Port the adapter uses (tests pass a fake). */
export interface PortLike {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

export interface ExtensionPortAdapterOptions {
  tabId: number;
  connect?: (name: string) => PortLike;
  /** Backend trace lookup; default the dev collector. */
  queryBaseUrl?: string;
  lookup?: TraceLookup;
  /** Reconnect delays grow from the first to the max (the worker restarts on connect). */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Panel -> worker commands kept while disconnected; the oldest go first beyond this. */
  maxQueued?: number;
  /** Asks the user for host access to a query endpoint outside localhost (optional_host_permissions). */
  requestOrigin?: (originPattern: string) => Promise<boolean>;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export const DEFAULT_QUERY_BASE_URL = 'http://127.0.0.1:4318';

const defaultConnect = (name: string): PortLike => chrome.runtime.connect({ name }) as unknown as PortLike;

const defaultRequestOrigin = async (originPattern: string): Promise<boolean> => {
  if (await chrome.permissions.contains({ origins: [originPattern] })) return true;
  return chrome.permissions.request({ origins: [originPattern] });
};

/** The manifest's host_permissions already cover these; anything else is asked for at runtime. */
const isLocalHost = (hostname: string): boolean => hostname === '127.0.0.1' || hostname === 'localhost';

/**
 * The panel's side of the extension: a port to the background worker that survives the worker
 * being stopped (MV3 stops idle workers). Entries carry sequence numbers, so after a reconnect
 * the worker replays only what the panel has not seen.
 */
export function createExtensionPortAdapter(options: ExtensionPortAdapterOptions): PanelAdapter {
  const { tabId } = options;
  const connect = options.connect ?? defaultConnect;
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  const initialMs = options.backoff?.initialMs ?? 100;
  const maxMs = options.backoff?.maxMs ?? 5000;
  const maxQueued = options.maxQueued ?? 50;
  const lookup = options.lookup ?? createTraceLookup({ baseUrl: options.queryBaseUrl ?? DEFAULT_QUERY_BASE_URL });
  const listeners = createListenerSet((error) => console.error('[streamtrace] panel listener failed', error));
  const queue: PanelToWorker[] = [];
  let port: PortLike | undefined;
  let lastSeq = 0;
  let attempt = 0;
  let timer: unknown;
  let disposed = false;
  let status: AdapterStatus = { state: 'connecting', source: `tab ${tabId}` };

  const setStatus = (next: AdapterStatus): void => {
    status = next;
    listeners.emit({ type: 'status', status: next });
  };

  const deliver = (message: PageMessage): void => {
    const event: PanelEvent = message.type === 'spans'
      ? { type: 'spans', resourceSpans: message.payload.resourceSpans }
      : { type: 'chunks', series: message.payload };
    listeners.emit(event);
  };

  const onMessage = (raw: unknown): void => {
    const message = raw as WorkerToPanel;
    if (!message || message.tabId !== tabId) return;
    // The worker answered: only now is the connection proven (a dying worker accepts a connect).
    if (status.state !== 'connected') {
      attempt = 0;
      setStatus({ state: 'connected', source: `tab ${tabId}` });
    }
    if (message.type === 'entries') {
      for (const entry of message.entries) {
        if (entry.seq <= lastSeq) continue;
        lastSeq = entry.seq;
        deliver(entry.message);
      }
    } else if (message.type === 'reset') {
      lastSeq = 0;
    } else if (message.type === 'navigated') {
      listeners.emit({ type: 'navigated' });
    }
  };

  const send = (command: PanelToWorker): void => {
    if (port) {
      try {
        port.postMessage(command);
        return;
      } catch {
        // The worker went away between disconnect notification and now: queue it.
      }
    }
    queue.push(command);
    if (queue.length > maxQueued) queue.splice(0, queue.length - maxQueued);
  };

  const scheduleReconnect = (): void => {
    if (disposed || timer !== undefined) return;
    const delay = Math.min(maxMs, initialMs * 2 ** attempt);
    attempt += 1;
    setStatus({ state: 'reconnecting', source: `tab ${tabId}`, detail: `retry in ${delay} ms` });
    timer = setTimer(() => {
      timer = undefined;
      open();
    }, delay);
  };

  function open(): void {
    if (disposed) return;
    let next: PortLike;
    try {
      next = connect(`${PANEL_PORT_PREFIX}${tabId}`);
    } catch {
      scheduleReconnect();
      return;
    }
    port = next;
    next.onMessage.addListener(onMessage);
    next.onDisconnect.addListener(() => {
      if (port !== next) return;
      port = undefined;
      scheduleReconnect();
    });
    try {
      next.postMessage({ type: 'subscribe', tabId, afterSeq: lastSeq } satisfies PanelToWorker);
      for (const command of queue.splice(0)) next.postMessage(command);
    } catch {
      port = undefined;
      scheduleReconnect();
    }
  }

  open();

  return {
    subscribe: (listener) => listeners.add(listener),
    fetchTrace: (traceId: string, fetchOptions?: FetchTraceOptions) => lookup.fetchSettled(traceId, fetchOptions),
    // Only the dev collector has a log store; other query endpoints answer 404 (undefined).
    fetchLogs: (traceId, signal) => fetchTraceLogs(lookup.baseUrl, traceId, signal ? { signal } : {}),
    status: () => status,
    clear: () => send({ type: 'clear', tabId }),
    setQueryEndpoint(baseUrl) {
      lookup.setBaseUrl(baseUrl);
      let url: URL;
      try {
        url = new URL(baseUrl);
      } catch {
        return;
      }
      if (isLocalHost(url.hostname)) return;
      // Must run inside the Save click (a user gesture); denial leaves lookups failing visibly.
      void (options.requestOrigin ?? defaultRequestOrigin)(`${url.protocol}//${url.hostname}/*`).catch(() => false);
    },
    dispose() {
      disposed = true;
      if (timer !== undefined) clearTimer(timer);
      port?.disconnect();
      port = undefined;
      setStatus({ state: 'disconnected', source: `tab ${tabId}` });
    },
  };
}
