import type { InstrumentContext } from './instrument-context.js';
import type { StreamRecorder } from './stream-recorder.js';
import { shouldPropagate, toAbsoluteUrl } from '../propagation/match.js';
import { injectUrlParams } from '../propagation/inject-url.js';
import { wrapConstructor, wrapMethod } from './native.js';
import { installListenerWrapping, recordingEntry, wrappedTarget, type WrappedTarget } from './listener-wrap.js';
import { guard } from '../diag.js';

/**
 * Replaces `globalThis.WebSocket` by a Proxy of the native constructor: instances are real
 * WebSockets. Their `url` is the URL actually requested (with our context query parameters when
 * the URL is in `propagateTo`). Messages are timed inside the app's own listeners (listener-wrap.ts).
 */
export function instrumentWebSocket(ctx: InstrumentContext): () => void {
  const native = globalThis.WebSocket;
  if (typeof native !== 'function') return () => {};
  const tracked = new WeakMap<object, WrappedTarget & { closedByClient: boolean }>();
  const listen = EventTarget.prototype.addEventListener;

  const proxy = wrapConstructor(native, (target, args, newTarget) => {
    let traced: { url: string; stream: StreamRecorder } | undefined;
    if (ctx.enabled() && args.length > 0) {
      try {
        const raw = args[0] instanceof URL ? args[0].href : String(args[0]);
        let url = toAbsoluteUrl(raw);
        // Relative and http(s) URLs are valid WebSocket URLs in current browsers.
        if (url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:')) {
          url = new URL(url.href.replace(/^http/, 'ws'));
        }
        if (url !== undefined && (url.protocol === 'ws:' || url.protocol === 'wss:')) {
          const propagate = shouldPropagate(url, ctx.config.propagateTo);
          const message = ctx.messageFor(propagate);
          if (message !== undefined) {
            const stream = ctx.openStream(message, 'websocket', url, 'GET');
            traced = { url: propagate ? injectUrlParams(url, stream.contextValues()).href : raw, stream };
          }
        }
      } catch (error) {
        ctx.reportError('WebSocket wrapper', error);
      }
    }
    if (traced === undefined) return Reflect.construct(target, args, newTarget as Function) as object;
    let ws: WebSocket;
    try {
      ws = Reflect.construct(target, [traced.url, ...args.slice(1)], newTarget as Function) as WebSocket;
    } catch (error) {
      traced.stream.end('error', error);
      throw error;
    }
    const stream = traced.stream;
    const entry = { ...wrappedTarget(stream), closedByClient: false };
    tracked.set(ws, entry);
    let failed = false;
    listen.call(ws, 'open', guard('WebSocket open', () => stream.response({ 'network.protocol.name': 'websocket', ...(ws.protocol ? { 'streamtrace.websocket.protocol': ws.protocol } : {}) })));
    listen.call(ws, 'error', () => {
      failed = true;
    });
    listen.call(ws, 'close', guard('WebSocket close', (event: Event) => {
      const close = event as CloseEvent;
      const attributes = {
        'streamtrace.websocket.close_code': close.code,
        'streamtrace.websocket.close_clean': close.wasClean,
        ...(close.reason ? { 'streamtrace.websocket.close_reason': close.reason.slice(0, 128) } : {}),
        'streamtrace.stream.closed_by': entry.closedByClient ? 'client' : 'server',
      };
      const normal = close.code === 1000 || close.code === 1005 || (entry.closedByClient && close.wasClean);
      if (stream.message.cancelled) stream.end('cancel', undefined, attributes);
      else if (failed || !normal) stream.end('error', `websocket_close_${close.code}`, attributes);
      else stream.end('complete', undefined, attributes);
    }));
    return ws;
  });

  const restoreListeners = installListenerWrapping(
    native.prototype,
    (instance) => recordingEntry(tracked.get(instance as object)),
    (type) => type === 'message',
  );
  const restoreClose = wrapMethod(native.prototype as WebSocket, 'close', (original, thisArg, args) => {
    const entry = tracked.get(thisArg as WebSocket);
    if (entry !== undefined) entry.closedByClient = true;
    return Reflect.apply(original, thisArg, args);
  });
  const prototype = native.prototype as { constructor: unknown };
  prototype.constructor = proxy;
  globalThis.WebSocket = proxy;
  return () => {
    restoreClose();
    restoreListeners();
    prototype.constructor = native;
    if (globalThis.WebSocket === proxy) globalThis.WebSocket = native;
  };
}
