import type { InstrumentContext } from './instrument-context.js';
import type { StreamRecorder } from './stream-recorder.js';
import { isExportUrl, shouldPropagate, toAbsoluteUrl } from '../propagation/match.js';
import { injectFetchHeaders } from '../propagation/inject-fetch.js';
import { serverAttributes } from '../propagation/server-context.js';
import { endFailed, observeBody } from './fetch-body.js';
import { remakeResponse } from './remade-response.js';
import { wrapFunction } from './native.js';
import { safe } from '../diag.js';

type Fetch = typeof fetch;

/** Replaces `globalThis.fetch`; returns the uninstaller. */
export function instrumentFetch(ctx: InstrumentContext): () => void {
  const native = globalThis.fetch;
  if (typeof native !== 'function') return () => {};
  const wrapped = wrapFunction(native, (target, thisArg, args) => {
    if (!ctx.enabled()) return Reflect.apply(target, thisArg, args);
    const traced = safe('fetch wrapper', () => prepare(ctx, args));
    if (traced === undefined) return Reflect.apply(target, thisArg, args);
    const [stream, signal] = traced;
    const promise = Reflect.apply(target, thisArg, args) as Promise<Response>;
    // An abort before the response rejects the fetch; after it, the body ends the stream (fetch-body.ts).
    return promise.then(
      (response) => safe('fetch response', () => observeResponse(response, stream, signal), response),
      (error: unknown) => {
        safe('fetch failure', () => endFailed(stream, signal, error));
        throw error;
      },
    );
  });
  globalThis.fetch = wrapped;
  return () => {
    if (globalThis.fetch === wrapped) globalThis.fetch = native;
  };
}

/** Opens the stream of a fetch to trace, and puts our headers into `args` (the Proxy trap's own list). */
function prepare(ctx: InstrumentContext, args: unknown[]): [StreamRecorder, AbortSignal | undefined] | undefined {
  const [input, init] = args as Parameters<Fetch>;
  const isRequest = typeof Request !== 'undefined' && input instanceof Request;
  const url = toAbsoluteUrl(isRequest ? (input as Request).url : String(input));
  if (url === undefined || isExportUrl(url, ctx.config.endpoint)) return undefined;
  if (!/^https?:$/.test(url.protocol)) return undefined;
  const propagate = shouldPropagate(url, ctx.config.propagateTo);
  const message = ctx.messageFor(propagate);
  if (message === undefined) return undefined;
  const method = init?.method ?? (isRequest ? (input as Request).method : 'GET');
  const stream = ctx.openStream(message, 'fetch', url, method);
  const signal = init?.signal ?? (isRequest ? (input as Request).signal : undefined) ?? undefined;
  if (propagate) {
    const nextInit = injectFetchHeaders(input, init, stream.contextValues());
    // Only a new init is set: fetch(url) stays a one-argument call when nothing is added.
    if (nextInit !== init) args[1] = nextInit;
  }
  return [stream, signal];
}

function observeResponse(response: Response, stream: StreamRecorder, signal: AbortSignal | undefined): Response {
  stream.response({
    'http.response.status_code': response.status,
    ...serverAttributes((name) => response.headers.get(name)),
  });
  const body = response.body;
  const httpError = response.ok ? undefined : String(response.status);
  // Opaque responses have no body; 101/204/304 neither. The Response constructor rejects some statuses.
  // A stream that records nothing (a sampled-out session without keepUnsampled) leaves the body alone.
  if (body == null || response.status < 200 || response.status > 599 || !stream.recording) {
    stream.end(httpError ? 'error' : 'complete', httpError);
    return response;
  }
  const eventStream = (response.headers.get('content-type') ?? '').toLowerCase().startsWith('text/event-stream');
  return remakeResponse(observeBody(body, stream, eventStream, signal, httpError), response, signal);
}
