import { redefine, wrapFunction, wrapMethod } from './native.js';

/** Each Response we made around an observed body (or a clone of one) → the network's Response. */
const sources = new WeakMap<object, Response>();
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
    if (get) redefine(prototype, key, { get: wrapFunction(get, (target, thisArg, args) => Reflect.apply(target, sources.get(thisArg as object) ?? thisArg, args)) });
  }
  wrapMethod(prototype as Response, 'clone', (clone, thisArg, args) => {
    const copy = Reflect.apply(clone, thisArg, args) as Response;
    const source = sources.get(thisArg as object);
    if (source) sources.set(copy, source);
    return copy;
  });
}

/** A Response with `body` that reads as `source`, the network's Response, in every other way. */
export function remakeResponse(body: ReadableStream<Uint8Array>, source: Response): Response {
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
  sources.set(made, source);
  return made;
}
