/** Our wrappers of globals are Proxies of the native functions: `name`, `length`, `toString()` and statics stay native. */
export const ORIGINAL = '__original';

/** A Proxy of `native` with `traps`; `__original` exposes the native function (the OTLP exporter uses it to skip wrappers). */
function proxyOf<T extends object>(native: T, traps: ProxyHandler<T>): T {
  const proxy: T = new Proxy(native, {
    ...traps,
    get: (target, prop, receiver) => (prop === ORIGINAL ? target : prop === 'toString' ? toStringFor(proxy, target) : Reflect.get(target, prop, receiver)),
  });
  return proxy;
}

/**
 * `String(fetch)` must read `function fetch() { [native code] }`: V8 prints a Proxy without its
 * name, so `toString` read through the Proxy answers for the native function.
 */
function toStringFor(proxy: object, native: object): typeof Function.prototype.toString {
  return new Proxy(Function.prototype.toString, {
    apply: (target, thisArg, args) => Reflect.apply(target, thisArg === proxy ? native : thisArg, args),
  });
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
  return redefine(owner, key, { value: new Proxy(original, { apply }) });
}
