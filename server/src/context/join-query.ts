import type { Server } from 'node:http';
import { MESSAGE_ID, SESSION_ID } from '../ids/attributes.js';
import { parseBaggage } from './baggage.js';
import { getHeader } from './headers.js';
import type { HeaderBag } from './headers.js';
import { sanitizeId } from './ids.js';
import { markPromotedFromQuery } from './promoted.js';
import { getParam, queryParams } from './query.js';
import { formatTraceparent, parseTraceparent } from './traceparent.js';
import { parseTracestate } from './tracestate.js';

const JOINED = Symbol.for('streamtrace.joinQueryContext');

interface RequestLike {
  headers: HeaderBag;
  url?: string;
}

type Emit = (this: Server, event: string | symbol, ...args: unknown[]) => boolean;

/**
 * Makes the HTTP server span of `@opentelemetry/instrumentation-http` join the browser's trace
 * when the context came as query parameters (EventSource, WebSocket): the server instance's
 * `emit` is wrapped so that, before the (instrumented) prototype `emit` sees a `request` or
 * `upgrade`, a valid query `traceparent`/`tracestate` is copied into the headers (only when the
 * headers carry no valid traceparent), and the session/message ids are added to `baggage`.
 * Header context the strict rules reject is removed first, so the HTTP server span follows the
 * same rules as `extractRequestContext` (instrumentation-http's propagator is more lenient).
 * Calling it again on the same server does nothing.
 */
export function joinQueryContext(server: Server): void {
  const target = server as Server & { [JOINED]?: true };
  if (target[JOINED]) return;
  target[JOINED] = true;
  const own = Object.prototype.hasOwnProperty.call(server, 'emit') ? (server.emit as Emit) : undefined;
  const wrapped: Emit = function (this: Server, event, ...args) {
    if ((event === 'request' || event === 'upgrade') && args[0]) {
      try {
        promoteQueryContext(args[0] as RequestLike);
      } catch {
        // A hostile request must never break the server; it just starts a new trace.
      }
    }
    // Looked up per call: instrumentation may patch the prototype after this wrapper exists.
    const next = own ?? (Object.getPrototypeOf(this) as { emit: Emit }).emit;
    return next.call(this, event, ...args);
  };
  server.emit = wrapped as Server['emit'];
}

/** Copies valid query-parameter context into the request headers (see `joinQueryContext`). */
export function promoteQueryContext(req: RequestLike): void {
  const headers = req.headers;
  if (!headers || typeof headers !== 'object') return;
  const params = queryParams(req.url);
  enforceHeaderRules(headers);
  if (!parseTraceparent(getHeader(headers, 'traceparent'))) {
    const parent = parseTraceparent(getParam(params, 'traceparent'));
    if (parent) {
      headers.traceparent = formatTraceparent(parent.traceId, parent.spanId, parent.traceFlags);
      markPromotedFromQuery(req);
      const state = parseTracestate(getParam(params, 'tracestate'));
      if (state) headers.tracestate = state;
      else delete headers.tracestate;
    }
  }
  const rawBaggage = getHeader(headers, 'baggage');
  const baggage = parseBaggage(rawBaggage);
  const additions: string[] = [];
  if (!baggage?.getEntry(SESSION_ID)) {
    const id = sanitizeId(getHeader(headers, 'x-session-id')) ?? sanitizeId(getParam(params, 'session_id'));
    if (id) additions.push(`${SESSION_ID}=${encodeURIComponent(id)}`);
  }
  if (!baggage?.getEntry(MESSAGE_ID)) {
    const id = sanitizeId(getHeader(headers, 'x-message-id')) ?? sanitizeId(getParam(params, 'message_id'));
    if (id) additions.push(`${MESSAGE_ID}=${encodeURIComponent(id)}`);
  }
  if (additions.length === 0) return;
  const existing = Array.isArray(rawBaggage) ? rawBaggage.join(',') : rawBaggage;
  headers.baggage = existing ? `${existing},${additions.join(',')}` : additions.join(',');
}

/**
 * Removes header context that `extractRequestContext` would ignore: an invalid `traceparent`
 * (with its `tracestate`), or an invalid `tracestate` alone; a valid `tracestate` is normalized.
 * instrumentation-http would otherwise join e.g. an oversized future-version traceparent, or keep
 * 32 members of a 40-member tracestate, and the stream span would inherit that.
 */
function enforceHeaderRules(headers: HeaderBag): void {
  const parent = getHeader(headers, 'traceparent');
  if (parent === undefined) return;
  if (!parseTraceparent(parent)) {
    deleteHeader(headers, 'traceparent');
    deleteHeader(headers, 'tracestate');
    return;
  }
  const state = getHeader(headers, 'tracestate');
  if (state === undefined) return;
  const valid = parseTracestate(state);
  deleteHeader(headers, 'tracestate');
  if (valid) headers.tracestate = valid;
}

/** Deletes a header under every spelling of its name (plain-object bags may mix cases). */
function deleteHeader(headers: HeaderBag, name: string): void {
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name) delete headers[key];
}
