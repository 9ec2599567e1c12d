import { ROOT_CONTEXT, propagation, trace } from '@opentelemetry/api';
import type { Baggage, Context } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { MESSAGE_ID, SESSION_ID } from '../ids/attributes.js';
import { parseBaggage } from './baggage.js';
import { frameObject } from './frame.js';
import { getHeader } from './headers.js';
import { wasPromotedFromQuery } from './promoted.js';
import type { HeaderBag } from './headers.js';
import { sanitizeId } from './ids.js';
import { getParam, queryParams } from './query.js';
import { parseTraceparent } from './traceparent.js';
import type { ParsedTraceparent } from './traceparent.js';
import { parseTracestate } from './tracestate.js';

export interface RequestContext {
  /** OTel context with the remote parent (or ROOT_CONTEXT) and baggage carrying the ids. */
  context: Context;
  /** Where the traceparent came from; `none` means a new trace. */
  source: 'header' | 'query' | 'frame' | 'none';
  sessionId?: string;
  messageId?: string;
}

export interface IncomingRequestLike {
  headers: HeaderBag;
  url?: string;
}

interface Candidate {
  parent: ParsedTraceparent;
  tracestate: string | undefined;
}

/**
 * Reads trace context and session/message ids from a request: headers first, then query
 * parameters (EventSource and WebSocket cannot send headers), then a WebSocket first frame.
 * Anything that breaks the W3C rules is ignored, so the caller starts a new trace. Never throws.
 */
export function extractRequestContext(req: IncomingRequestLike, firstFrame?: unknown): RequestContext {
  try {
    return extract(req, firstFrame);
  } catch {
    // Only reachable with hostile objects (throwing getters, revoked proxies): a new trace.
    return { context: ROOT_CONTEXT, source: 'none' };
  }
}

function extract(req: IncomingRequestLike, firstFrame: unknown): RequestContext {
  const headers = req?.headers;
  const params = queryParams(req?.url);
  const frame = firstFrame === undefined ? undefined : frameObject(firstFrame);
  const baggage = parseBaggage(getHeader(headers, 'baggage'));

  let source: RequestContext['source'] = 'none';
  let found: Candidate | undefined;
  const fromHeader = candidate(getHeader(headers, 'traceparent'), getHeader(headers, 'tracestate'));
  const fromQuery = fromHeader ? undefined : candidate(getParam(params, 'traceparent'), getParam(params, 'tracestate'));
  const fromFrame = fromHeader || fromQuery || !frame ? undefined : candidate(frame.traceparent, frame.tracestate);
  // A header that joinQueryContext copied from the query still reports where it came from.
  if (fromHeader) [source, found] = [wasPromotedFromQuery(req) ? 'query' : 'header', fromHeader];
  else if (fromQuery) [source, found] = ['query', fromQuery];
  else if (fromFrame) [source, found] = ['frame', fromFrame];

  const sessionId =
    sanitizeId(getHeader(headers, 'x-session-id')) ??
    sanitizeId(baggage?.getEntry(SESSION_ID)?.value) ??
    sanitizeId(getParam(params, 'session_id')) ??
    sanitizeId(frame?.session_id);
  const messageId =
    sanitizeId(getHeader(headers, 'x-message-id')) ??
    sanitizeId(baggage?.getEntry(MESSAGE_ID)?.value) ??
    sanitizeId(getParam(params, 'message_id')) ??
    sanitizeId(frame?.message_id);

  let context = ROOT_CONTEXT;
  if (found) {
    context = trace.setSpanContext(context, {
      traceId: found.parent.traceId,
      spanId: found.parent.spanId,
      traceFlags: found.parent.traceFlags,
      isRemote: true,
      ...(found.tracestate ? { traceState: new TraceState(found.tracestate) } : {}),
    });
  }
  const withIds = withBaggageIds(baggage, sessionId, messageId);
  if (withIds) context = propagation.setBaggage(context, withIds);

  const result: RequestContext = { context, source };
  if (sessionId) result.sessionId = sessionId;
  if (messageId) result.messageId = messageId;
  return result;
}

function candidate(traceparent: unknown, tracestate: unknown): Candidate | undefined {
  const parent = parseTraceparent(traceparent);
  return parent ? { parent, tracestate: parseTracestate(tracestate) } : undefined;
}

/** Baggage with the resolved ids set, so spans and logs started in this context can read them. */
export function withBaggageIds(
  baggage: Baggage | undefined,
  sessionId: string | undefined,
  messageId: string | undefined,
): Baggage | undefined {
  let result = baggage;
  if (sessionId) result = (result ?? propagation.createBaggage()).setEntry(SESSION_ID, { value: sessionId });
  if (messageId) result = (result ?? propagation.createBaggage()).setEntry(MESSAGE_ID, { value: messageId });
  return result;
}
