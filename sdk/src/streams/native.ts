/**
 * Our wrappers of globals are Proxies of the native functions: `name`, `length` and statics stay native.
 * Each of our Proxies → the native function it wraps; undefined until the first Proxy.
 */
let natives: WeakMap<object, object> | undefined;

/**
 * A Proxy of `native` with `traps`.
 * `Function.prototype.toString` prints a Proxy as `function () { [native code] }`, without its name: from the first
 * Proxy on, it answers for ours with the native function's text, as zone.js and Sentry do for theirs. That stays for
 * the page's life: the app may hold our wrappers past a shutdown.
 */
function proxyOf<T extends object>(native: T, traps: ProxyHandler<T>): T {
  if (!natives) {
    natives = new WeakMap();
    try {
      Function.prototype.toString = proxyOf(Function.prototype.toString, { apply: (target, thisArg, args) => Reflect.apply(target, natives!.get(thisArg as object) ?? thisArg, args) });
    } catch {
      // Frozen intrinsics (SES lockdown): our wrappers print without their names.
    }
  }
  const proxy = new Proxy(native, traps);
  natives.set(proxy, native);
  return proxy;
}

/** The native function behind one of our wrappers (the OTLP exporter's fetch skips ours), or `fn` itself. */
export function nativeOf<T extends object>(fn: T): T {
  return (natives?.get(fn) as T | undefined) ?? fn;
}

/** Forwards calls to `apply`, which receives the native function. */
export function wrapFunction<T extends (...args: never[]) => unknown>(native: T, apply: (target: T, thisArg: unknown, args: unknown[]) => unknown): T {
  return proxyOf(native, { apply });
}

/** Replaces a constructor by a Proxy whose `construct` trap may rewrite arguments; instances stay native. */
export function wrapConstructor<T extends abstract new (...args: never[]) => object>(
  native: T,
  construct: (target: T, args: unknown[], newTarget: unknown) => object,
): T {
  const proxy: T = proxyOf(native, { construct: (target, args, newTarget): object => construct(target, args, newTarget === proxy ? target : newTarget) });
  return proxy;
}

/**
 * Defines `key` on `owner` with `descriptor` over its own property's attributes (a new one is
 * configurable, writable, not enumerable); returns what restores the previous state.
 */
export function redefine(owner: object, key: PropertyKey, descriptor: PropertyDescriptor): () => void {
  const previous = Object.getOwnPropertyDescriptor(owner, key);
  Object.defineProperty(owner, key, { ...(previous ?? { configurable: true, writable: true }), ...descriptor });
  return () => {
    if (previous) Object.defineProperty(owner, key, previous);
    else delete (owner as Record<PropertyKey, unknown>)[key];
  };
}

/** Replaces a method on a prototype by a wrapper that keeps the native `name`, `length` and `toString()`. */
export function wrapMethod<O extends object, K extends keyof O>(owner: O, key: K, apply: (original: O[K] & ((...a: unknown[]) => unknown), thisArg: unknown, args: unknown[]) => unknown): () => void {
  const original = owner[key] as O[K] & ((...a: unknown[]) => unknown);
  if (typeof original !== 'function') return () => {};
  return redefine(owner, key, { value: wrapFunction(original, apply) });
}
