import { redefine, wrapFunction, wrapMethod } from './native.js';
import { abortIsReason } from './fetch-body.js';

/** Each Response we made around an observed body (or a clone of one) → the network's Response and the fetch's signal. */
const sources = new WeakMap<object, [Response, AbortSignal | undefined]>();
let patched = false;

/**
 * The Response constructor cannot set `url`, `type` or `redirected`, and gives mutable headers.
 * Rather than own properties on the app's Response (seen by `Object.keys`, spread and
 * `JSON.stringify`), the prototype's getters answer for a remade Response from the network's one,
 * and `clone()` carries that link to the copy. The patch stays for the page's life, past a
 * shutdown: the app may still hold Responses we made.
 */
function patch(prototype: object): void {
  for (const key of ['url', 'type', 'redirected', 'headers']) {
    const get = Object.getOwnPropertyDescriptor(prototype, key)?.get;
    if (get) redefine(prototype, key, { get: wrapFunction(get, (target, thisArg, args) => Reflect.apply(target, sources.get(thisArg as object)?.[0] ?? thisArg, args)) });
  }
  // Reading a body it did not make, the browser reports any failure as "Failed to fetch": an abort
  // rejects with an AbortError as natively.
  for (const key of ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text'] as const) {
    wrapMethod(prototype as Response, key, (consume, thisArg, args) => {
      const signal = sources.get(thisArg as object)?.[1];
      const result = Reflect.apply(consume, thisArg, args) as Promise<unknown>;
      return signal
        ? result.catch((error: unknown) => {
            throw signal.aborted ? (abortIsReason === false ? new DOMException('The user aborted a request.', 'AbortError') : signal.reason) : error;
          })
        : result;
    });
  }
  wrapMethod(prototype as Response, 'clone', (clone, thisArg, args) => {
    const copy = Reflect.apply(clone, thisArg, args) as Response;
    const source = sources.get(thisArg as object);
    if (source) sources.set(copy, source);
    return copy;
  });
}

/** A Response with `body` that reads as `source`, the network's Response, in every other way. */
export function remakeResponse(body: ReadableStream<Uint8Array>, source: Response, signal: AbortSignal | undefined): Response {
  // The class of the network's Response, not the global: the page may have replaced that (a fetch polyfill).
  const NativeResponse = source.constructor as typeof Response;
  if (!patched) {
    patched = true;
    try {
      patch(NativeResponse.prototype);
    } catch {
      // A frozen prototype (SES lockdown): the made Response shows the constructor's url '', not the network's.
    }
  }
  const made = new NativeResponse(body, { status: source.status, statusText: source.statusText, headers: source.headers });
  sources.set(made, [source, signal]);
  return made;
}
