/** Our wrappers of globals are Proxies of the native functions: `name`, `length`, `toString()` and statics stay native. */
export const ORIGINAL = '__original';

/** Forwards to the native function; `__original` exposes it (the OTLP exporter uses it to skip wrappers). */
export function wrapFunction<T extends (...args: never[]) => unknown>(native: T, apply: (target: T, thisArg: unknown, args: unknown[]) => unknown): T {
  const proxy: T = new Proxy(native, {
    apply: (target, thisArg, args) => apply(target, thisArg, args),
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

/** Replaces a constructor by a Proxy whose `construct` trap may rewrite arguments; instances stay native. */
export function wrapConstructor<T extends abstract new (...args: never[]) => object>(
  native: T,
  construct: (target: T, args: unknown[], newTarget: unknown) => object,
): T {
  const proxy: T = new Proxy(native, {
    construct: (target, args, newTarget): object => construct(target, args, newTarget === proxy ? target : newTarget),
    get: (target, prop, receiver) => (prop === ORIGINAL ? target : prop === 'toString' ? toStringFor(proxy, target) : Reflect.get(target, prop, receiver)),
  });
  return proxy;
}

/** Replaces a method on a prototype by a wrapper that keeps the native `name`, `length` and `toString()`. */
export function wrapMethod<O extends object, K extends keyof O>(owner: O, key: K, apply: (original: O[K] & ((...a: unknown[]) => unknown), thisArg: unknown, args: unknown[]) => unknown): () => void {
  const descriptor = Object.getOwnPropertyDescriptor(owner, key);
  const original = owner[key] as O[K] & ((...a: unknown[]) => unknown);
  if (typeof original !== 'function') return () => {};
  const wrapped = new Proxy(original, { apply: (target, thisArg, args) => apply(target, thisArg, args) });
  Object.defineProperty(owner, key, { ...(descriptor ?? { configurable: true, enumerable: false, writable: true }), value: wrapped });
  return () => {
    if (descriptor) Object.defineProperty(owner, key, descriptor);
    else delete (owner as Record<PropertyKey, unknown>)[key as PropertyKey];
  };
}
