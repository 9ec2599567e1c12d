import type { StreamRecorder } from './stream-recorder.js';
import { redefine, wrapFunction, wrapMethod } from './native.js';

type Listener = EventListenerOrEventListenerObject;

/** What a traced EventSource/WebSocket instance needs to time its messages inside the app's listeners. */
export interface WrappedTarget {
  readonly wrappedStream: StreamRecorder;
  /** App listener (function or `handleEvent` object) → the function registered natively instead. */
  readonly wrappers: WeakMap<object, (this: EventTarget, event: Event) => unknown>;
  /** Registered wrapper → the app's listener (what the `onmessage` getter returns). */
  readonly originals: WeakMap<object, Listener>;
}

export function wrappedTarget(stream: StreamRecorder): WrappedTarget {
  return { wrappedStream: stream, wrappers: new WeakMap(), originals: new WeakMap() };
}

/**
 * The function registered natively in place of the app's listener: it queues the message for the
 * stream (read at the next frame) and after the listener asks whether it rendered the chunk, so a
 * message costs no dispatch of its own. The app's listener runs with the
 * same `this`, argument, return value and exceptions as natively; ours never throw into the page.
 */
export function wrapperFor(target: WrappedTarget, listener: Listener): (this: EventTarget, event: Event) => unknown {
  let wrapper = target.wrappers.get(listener);
  if (wrapper !== undefined) return wrapper;
  const stream = target.wrappedStream;
  wrapper = function (this: EventTarget, event: Event): unknown {
    let ask = false;
    try {
      ask = stream.eventArriving(event);
    } catch {
      // Timing is best effort.
    }
    try {
      // No helper call for a function: every call on a chunk's path costs most before V8 optimises it.
      return typeof listener === 'function' ? listener.call(this, event) : callHandleEvent(listener, event);
    } finally {
      if (ask) {
        try {
          stream.eventDelivered();
        } catch {
          // Timing is best effort.
        }
      }
    }
  };
  target.wrappers.set(listener, wrapper);
  target.originals.set(wrapper, listener);
  return wrapper;
}

/** A `handleEvent` object: the method is looked up at each dispatch, called on the object. */
function callHandleEvent(listener: EventListenerObject, event: Event): unknown {
  return Reflect.apply(listener.handleEvent as (event: Event) => unknown, listener, [event]);
}

/** The app's value for an `onmessage` read: its own function, not our wrapper (WeakMap.get of a non-object is undefined). */
export function originalFor(target: WrappedTarget, registered: unknown): unknown {
  return target.originals.get(registered as object) ?? registered;
}

/** Listeners of a stream that records nothing (a sampled-out session) are left unwrapped. */
export function recordingEntry<T extends WrappedTarget>(entry: T | undefined): T | undefined {
  return entry?.wrappedStream.recording ? entry : undefined;
}

const canWrap = (listener: unknown): listener is Listener =>
  typeof listener === 'function' || (typeof listener === 'object' && listener !== null);

/**
 * Replaces `addEventListener`, `removeEventListener` and the `onmessage` accessor of `prototype`
 * (EventSource or WebSocket): on a traced instance, listeners of the timed event types get wrapped;
 * on any other object the native behaviour is untouched. Returns the uninstaller.
 */
export function installListenerWrapping(
  prototype: object,
  lookup: (instance: unknown) => WrappedTarget | undefined,
  timedType: (type: string) => boolean,
): () => void {
  const restores: (() => void)[] = [];
  const define = (key: string, descriptor: PropertyDescriptor): void => void restores.push(redefine(prototype, key, descriptor));
  const method = (key: 'addEventListener' | 'removeEventListener'): void => {
    // Inherited (from EventTarget.prototype), the method is looked up at each call, not kept from
    // install: a library patching EventTarget.prototype after us (zone.js) must still see these calls.
    const inherited = !Object.hasOwn(prototype, key);
    const parent = Object.getPrototypeOf(prototype) as Record<typeof key, () => void>;
    restores.push(
      wrapMethod(prototype as Record<string, unknown>, key, (target, thisArg, args) => {
        const entry = lookup(thisArg);
        if (entry !== undefined && typeof args[0] === 'string' && timedType(args[0]) && canWrap(args[1])) {
          // removeEventListener: the wrapper registered for that listener, when there is one.
          // The trap's own argument list: ours to change.
          args[1] = key === 'addEventListener' ? wrapperFor(entry, args[1]) : (entry.wrappers.get(args[1]) ?? args[1]);
        }
        return Reflect.apply(inherited ? parent[key] : target, thisArg, args);
      }),
    );
  };
  method('addEventListener');
  method('removeEventListener');
  const handler = Object.getOwnPropertyDescriptor(prototype, 'onmessage');
  if (handler?.get !== undefined && handler.set !== undefined) {
    const get = handler.get;
    const set = handler.set;
    define('onmessage', {
      get: wrapFunction(get, (target, thisArg, args) => {
        const value: unknown = Reflect.apply(target, thisArg, args);
        const entry = lookup(thisArg);
        return entry === undefined ? value : originalFor(entry, value);
      }),
      set: wrapFunction(set, (target, thisArg, args) => {
        const entry = lookup(thisArg);
        if (entry !== undefined && typeof args[0] === 'function') args[0] = wrapperFor(entry, args[0] as Listener);
        return Reflect.apply(target, thisArg, args);
      }),
    });
  }
  return () => {
    for (const restore of restores.reverse()) restore();
  };
}
