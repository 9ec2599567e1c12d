import type { InstrumentContext } from './instrument-context.js';
import type { StreamRecorder } from './stream-recorder.js';
import { shouldPropagate, toAbsoluteUrl } from '../propagation/match.js';
import { injectUrlParams } from '../propagation/inject-url.js';
import { wrapConstructor, wrapMethod } from './native.js';
import { installListenerWrapping, recordingEntry, wrappedTarget, type WrappedTarget } from './listener-wrap.js';
import { guard } from '../diag.js';

/**
 * Replaces `globalThis.EventSource` by a Proxy of the native constructor: instances are real
 * EventSources (instanceof, constants, readyState, event order unchanged). Their `url` is the URL
 * actually requested, i.e. with our context query parameters when the URL is in `propagateTo`.
 * Messages (`message` and named events) are timed inside the app's own listeners (listener-wrap.ts).
 */
export function instrumentEventSource(ctx: InstrumentContext): () => void {
  const native = globalThis.EventSource;
  if (typeof native !== 'function') return () => {};
  const tracked = new WeakMap<object, WrappedTarget & { reconnecting: boolean }>();
  const listen = EventTarget.prototype.addEventListener;

  const proxy = wrapConstructor(native, (target, args, newTarget) => {
    let traced: { url: string; stream: StreamRecorder } | undefined;
    if (ctx.enabled() && args.length > 0) {
      try {
        const url = toAbsoluteUrl(String(args[0]));
        if (url !== undefined) {
          const propagate = shouldPropagate(url, ctx.config.propagateTo);
          const message = ctx.messageFor(propagate);
          if (message !== undefined) {
            const stream = ctx.openStream(message, 'eventsource', url, 'GET');
            traced = { url: propagate ? injectUrlParams(url, stream.contextValues()).href : String(args[0]), stream };
          }
        }
      } catch (error) {
        ctx.reportError('EventSource wrapper', error);
      }
    }
    if (traced === undefined) return Reflect.construct(target, args, newTarget as Function) as object;
    let es: EventSource;
    try {
      es = Reflect.construct(target, [traced.url, ...args.slice(1)], newTarget as Function) as EventSource;
    } catch (error) {
      traced.stream.end('error', error);
      throw error;
    }
    const stream = traced.stream;
    const entry = { ...wrappedTarget(stream), reconnecting: false };
    tracked.set(es, entry);
    listen.call(es, 'open', guard('EventSource open', () => {
      if (entry.reconnecting) {
        entry.reconnecting = false;
        stream.event('stream.reconnected');
      }
      stream.response({ 'http.response.status_code': 200 });
    }));
    listen.call(es, 'error', guard('EventSource error', () => {
      if (es.readyState === target.CLOSED) {
        stream.end('error', 'eventsource_error');
      } else if (!entry.reconnecting) {
        // CONNECTING: the browser reconnects by itself; the same span covers every attempt.
        entry.reconnecting = true;
        stream.reconnecting();
      }
    }));
    return es;
  });

  const restoreListeners = installListenerWrapping(
    native.prototype,
    (instance) => recordingEntry(tracked.get(instance as object)),
    (type) => type !== 'open' && type !== 'error',
  );
  const restoreClose = wrapMethod(native.prototype as EventSource, 'close', (original, thisArg, args) => {
    const result = Reflect.apply(original, thisArg, args);
    const entry = tracked.get(thisArg as EventSource);
    if (entry !== undefined) guard('EventSource close', () => {
      const stream = entry.stream;
      const closedBy = { 'streamtrace.stream.closed_by': 'client' };
      // Closing while the browser is reconnecting after an error means the app gave up on it.
      if (stream.message.cancelled) stream.end('cancel', undefined, closedBy);
      else if (entry.reconnecting) stream.end('error', 'eventsource_error', closedBy);
      else stream.end('complete', undefined, closedBy);
    })();
    return result;
  });
  const prototype = native.prototype as { constructor: unknown };
  prototype.constructor = proxy;
  globalThis.EventSource = proxy;
  return () => {
    restoreListeners();
    restoreClose();
    prototype.constructor = native;
    if (globalThis.EventSource === proxy) globalThis.EventSource = native;
  };
}
