import type { InstrumentContext } from './instrument-context.js';
import type { StreamRecorder } from './stream-recorder.js';
import { shouldPropagate, toAbsoluteUrl } from '../propagation/match.js';
import { injectUrlParams } from '../propagation/inject-url.js';
import { wrapConstructor, wrapMethod } from './native.js';
import { installListenerWrapping, recordingEntry, type WrappedTarget } from './listener-wrap.js';
import { guard, safe } from '../diag.js';

type SocketClass = typeof EventSource | typeof WebSocket;

/** What differs between the EventSource and WebSocket wrappers (see instrumentSocket). */
export interface SocketHooks<E extends WrappedTarget> {
  /** The URL to trace for the constructor's URL argument (already absolute), or undefined. */
  streamUrl(url: URL): URL | undefined;
  /**
   * A traced instance was created: its entry, after registering our own listeners on it with `on`
   * (native addEventListener; a listener that throws is reported as `<name> <type> failed`).
   */
  attachSocket(instance: InstanceType<SocketClass>, stream: StreamRecorder, on: (type: string, listener: (event: Event) => void) => void): E;
  /** The event types timed inside the app's listeners. */
  timedType(type: string): boolean;
  /** `close()` on any instance (`entry` when traced); `close` runs the native method. */
  closeSocket(entry: E | undefined, close: () => unknown): unknown;
}

/**
 * Replaces `globalThis[name]` by a Proxy of the native constructor: instances are real ones
 * (instanceof, constants, readyState, event order unchanged). Their `url` is the URL actually
 * requested, i.e. with our context query parameters when the URL is in `propagateTo`. Messages are
 * timed inside the app's own listeners (listener-wrap.ts). Returns the uninstaller.
 */
export function instrumentSocket<E extends WrappedTarget>(ctx: InstrumentContext, name: 'EventSource' | 'WebSocket', hooks: SocketHooks<E>): () => void {
  const native = globalThis[name] as SocketClass;
  // Left alone: a script-made class (a polyfill: no EventTarget, its own transport is traced) and a
  // global the page made read-only (checked before the prototype is changed).
  if (!(native?.prototype instanceof EventTarget) || !Reflect.set(globalThis, name, native)) return () => {};
  const tracked = new WeakMap<object, E>();
  const listen = EventTarget.prototype.addEventListener;

  const proxy = wrapConstructor(native, (target, args, newTarget) => {
    const stream =
      ctx.enabled() && args.length > 0
        ? safe(name + ' wrapper', (): StreamRecorder | undefined => {
            const raw = String(args[0]);
            const absolute = toAbsoluteUrl(raw);
            const url = absolute && hooks.streamUrl(absolute);
            if (!url) return undefined;
            const propagate = shouldPropagate(url, ctx.config.propagateTo);
            const message = ctx.messageFor(propagate);
            if (message === undefined) return undefined;
            const opened = ctx.openStream(message, name.toLowerCase() as 'eventsource' | 'websocket', url, 'GET');
            // The trap's own argument list: the URL as requested, converted once.
            args[0] = propagate ? injectUrlParams(url, opened.contextValues()).href : raw;
            return opened;
          })
        : undefined;
    if (stream === undefined) return Reflect.construct(target, args, newTarget as Function) as object;
    let instance: InstanceType<SocketClass>;
    try {
      instance = Reflect.construct(target, args, newTarget as Function) as InstanceType<SocketClass>;
    } catch (error) {
      stream.end('error', error);
      throw error;
    }
    tracked.set(instance, hooks.attachSocket(instance, stream, (type, listener) => listen.call(instance, type, guard(`${name} ${type}`, listener))));
    return instance;
  });

  const restoreListeners = installListenerWrapping(native.prototype, (instance) => recordingEntry(tracked.get(instance as object)), hooks.timedType);
  const restoreClose = wrapMethod(native.prototype as { close(): void }, 'close', (original, thisArg, args) =>
    hooks.closeSocket(tracked.get(thisArg as object), () => Reflect.apply(original, thisArg, args)),
  );
  const prototype = native.prototype as { constructor: unknown };
  prototype.constructor = proxy;
  (globalThis as Record<string, unknown>)[name] = proxy;
  return () => {
    restoreClose();
    restoreListeners();
    prototype.constructor = native;
    if ((globalThis as Record<string, unknown>)[name] === proxy) (globalThis as Record<string, unknown>)[name] = native;
  };
}
