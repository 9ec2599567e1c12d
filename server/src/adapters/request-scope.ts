import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'node:net';
import { context, propagation, trace } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { extractRequestContext, withBaggageIds } from '../context/extract.js';
import type { RequestContext } from '../context/extract.js';
import { joinQueryContext } from '../context/join-query.js';
import { setRequestIds } from '../ids/set-request-ids.js';
import { EXPOSE_HEADERS } from '../stream/response-headers.js';
import { streamParent } from './parent-context.js';

const scopes = new WeakMap<IncomingMessage, RequestScope>();

export interface RequestScope {
  request: RequestContext;
  /** Run the request's handlers in this: trace parent plus the ids in baggage. */
  context: Context;
}

/**
 * What every framework adapter does per request: reads context and ids, puts the ids on the
 * active (HTTP server) span, exposes the trace headers to browsers, and returns the context to
 * run the handlers in. Also joins query context on the request's server for later requests.
 */
export function enterRequest(req: IncomingMessage, res?: ServerResponse): RequestScope {
  const known = scopes.get(req);
  if (known) return known;
  const request = extractRequestContext(req);
  const base = streamParent(request);
  const baggage = withBaggageIds(propagation.getBaggage(base), request.sessionId, request.messageId);
  const scope: RequestScope = { request, context: baggage ? propagation.setBaggage(base, baggage) : base };
  scopes.set(req, scope);

  const active = trace.getSpan(context.active());
  if (active && !active.spanContext().isRemote) setRequestIds(active, request);
  if (res && !res.headersSent) appendExposeHeaders(res);
  const server = (req.socket as { server?: Server } | undefined)?.server;
  if (server && typeof server.emit === 'function') joinQueryContext(server as Parameters<typeof joinQueryContext>[0]);
  return scope;
}

/** The scope `enterRequest` stored for this request, if any. */
export function requestScope(req: IncomingMessage): RequestScope | undefined {
  return scopes.get(req);
}

function appendExposeHeaders(res: ServerResponse): void {
  const current = res.getHeader('access-control-expose-headers');
  const list = [current, EXPOSE_HEADERS].filter((v) => v !== undefined && v !== '').join(', ');
  res.setHeader('access-control-expose-headers', list);
}
