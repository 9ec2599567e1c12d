import { contextHeaders, type ContextValues } from './context-values.js';

/**
 * Returns the fetch `init` carrying our context headers without clobbering the app's own: `init`
 * itself when nothing is to be added. Handles Headers objects, header arrays, plain objects and
 * `Request` inputs; the app's objects are never mutated.
 */
export function injectFetchHeaders(input: RequestInfo | URL, init: RequestInit | undefined, values: ContextValues): RequestInit | undefined {
  const isRequest = typeof Request !== 'undefined' && input instanceof Request;
  // no-cors requests may only carry safelisted headers: adding ours would make fetch reject.
  if ((init?.mode ?? (isRequest ? (input as Request).mode : undefined)) === 'no-cors') return init;
  const headers = new Headers(init?.headers ?? (isRequest ? (input as Request).headers : undefined));
  let changed = false;
  for (const [name, value] of contextHeaders(values)) {
    if (!headers.has(name)) {
      headers.set(name, value);
      changed = true;
    }
  }
  // Fetch reads init members through the prototype chain (class getters, inherited, non-enumerable
  // ones): a spread would drop them. Ours only shadows `headers`.
  return changed ? (Object.setPrototypeOf({ headers }, init ?? null) as RequestInit) : init;
}

/** Adds context headers to an opened XMLHttpRequest unless the app set them. */
export function injectXhrHeaders(setHeader: (name: string, value: string) => void, appSet: ReadonlySet<string>, values: ContextValues): void {
  for (const [name, value] of contextHeaders(values)) {
    if (!appSet.has(name)) setHeader(name, value);
  }
}
