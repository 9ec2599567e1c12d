import type { InstrumentContext } from './instrument-context.js';
import type { StreamRecorder } from './stream-recorder.js';
import { isExportUrl, shouldPropagate, toAbsoluteUrl } from '../propagation/match.js';
import { contextHeaders } from '../propagation/context-values.js';
import { serverAttributes } from '../propagation/server-context.js';
import { wrapMethod } from './native.js';
import { guard, safe } from '../diag.js';

interface XhrState {
  url: URL | undefined;
  method: string;
  appHeaders: Set<string>;
}

/**
 * XMLHttpRequest gets the same context headers as fetch (never overriding the app's) and a
 * `chat.stream` span (transport `xhr`, one chunk per progress event).
 */
export function instrumentXhr(ctx: InstrumentContext): () => void {
  if (typeof XMLHttpRequest !== 'function') return () => {};
  const proto = XMLHttpRequest.prototype;
  const states = new WeakMap<XMLHttpRequest, XhrState>();
  const setHeader = proto.setRequestHeader;
  const listen = EventTarget.prototype.addEventListener;
  /** Runs `observe` (its failures reported as `XMLHttpRequest.<key> failed`) before the native method. */
  const before = (key: 'open' | 'setRequestHeader' | 'send', observe: (xhr: XMLHttpRequest, args: unknown[]) => void): (() => void) =>
    wrapMethod(proto, key, (original, thisArg, args) => {
      safe('XMLHttpRequest.' + key, () => observe(thisArg as XMLHttpRequest, args));
      return Reflect.apply(original, thisArg, args);
    });
  const undo = [
    before('open', (xhr, args) => states.set(xhr, { url: toAbsoluteUrl(String(args[1])), method: String(args[0]), appHeaders: new Set() })),
    before('setRequestHeader', (xhr, args) => states.get(xhr)?.appHeaders.add(String(args[0]).toLowerCase())),
    before('send', (xhr) => {
      const state = states.get(xhr);
      if (ctx.enabled() && state?.url && !isExportUrl(state.url, ctx.config.endpoint)) traceXhr(ctx, xhr, state, setHeader, listen);
    }),
  ];
  return () => undo.forEach((u) => u());
}

function traceXhr(
  ctx: InstrumentContext,
  xhr: XMLHttpRequest,
  state: XhrState,
  setHeader: XMLHttpRequest['setRequestHeader'],
  listen: EventTarget['addEventListener'],
): void {
  const url = state.url as URL;
  const propagate = shouldPropagate(url, ctx.config.propagateTo);
  const message = ctx.messageFor(propagate);
  if (message === undefined) return;
  const stream: StreamRecorder = ctx.openStream(message, 'xhr', url, state.method);
  if (propagate) {
    for (const [name, value] of contextHeaders(stream.contextValues())) {
      if (!state.appHeaders.has(name)) setHeader.call(xhr, name, value);
    }
  }
  let loaded = 0;
  let responded = false;
  const respond = (): void => {
    responded = true;
    // Not getResponseHeader(): for a header a cross-origin server does not expose, Chromium logs
    // "Refused to get unsafe header" in the page's console. This list holds only readable ones.
    const headers = xhr.getAllResponseHeaders();
    stream.response({ 'http.response.status_code': xhr.status, ...serverAttributes((n) => new RegExp(`^${n}: *(.*)`, 'im').exec(headers)?.[1] ?? null) });
  };
  const on = (type: string, listener: (event: Event) => void): void => listen.call(xhr, type, guard('XMLHttpRequest ' + type, listener));
  on('progress', (event) => {
    const progress = event as ProgressEvent;
    if (!responded) respond();
    stream.chunk(Math.max(0, progress.loaded - loaded));
    loaded = progress.loaded;
  });
  on('loadend', () => {
    if (!responded) respond();
    if (xhr.status === 0) stream.end(message.cancelled ? 'cancel' : 'error', 'xhr_network_error');
    else if (xhr.status >= 400) stream.end('error', String(xhr.status));
    else stream.end('complete');
  });
  on('abort', () => stream.end('cancel', 'abort'));
  // Fires before loadend (status 0): the app's own `timeout` expired, not the network.
  on('timeout', () => stream.end('error', 'timeout'));
}
