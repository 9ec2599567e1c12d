import type { IncomingMessage, ServerResponse } from 'node:http';
import { extractRequestContext, parseTraceparent, startStreamSpan } from '@streamtrace/node';
import { BodyError, readJsonBody } from '../shared/json-body.js';
import { runChat } from './chat-flow.js';
import type { ChatDeps } from './chat-flow.js';
import { resolveTenant } from './metrics-tenant.js';
import { createSseSender } from './sse-send.js';
import { parseChatInput } from './request-input.js';
import { streamParent } from './stream-parent.js';

/** Open streams, so shutdown can cancel them (their spans end as `cancel`, not left open). */
export type StreamRegistry = Set<AbortController>;

/** `POST /api/chat` (JSON body, SSE in the fetch body) and `GET /api/chat/stream` (EventSource). */
export async function handleSseChat(deps: ChatDeps, req: IncomingMessage, res: ServerResponse, registry: StreamRegistry): Promise<void> {
  let raw: unknown;
  const url = new URL(req.url ?? '/', 'http://gateway');
  if (req.method === 'POST') {
    try {
      raw = await readJsonBody(req, 64 * 1024);
    } catch (error) {
      if (error instanceof BodyError) return sendJsonError(res, error.status, error.message);
      throw error;
    }
  } else {
    raw = Object.fromEntries(url.searchParams);
  }
  const input = parseChatInput(raw);
  if (typeof input === 'string') return sendJsonError(res, 400, input);

  const request = extractRequestContext(req);
  const stream = startStreamSpan({
    transport: 'sse',
    parent: streamParent(request),
    ...(request.sessionId ? { sessionId: request.sessionId } : {}),
    ...(request.messageId ? { messageId: request.messageId } : {}),
    attributes: {
      'http.route': url.pathname,
      'streamtrace.context.source': contextSource(request.source, req, url),
      'streamtrace.fault': input.fault ?? 'none',
      ...(input.conversationId ? { 'gen_ai.conversation.id': input.conversationId } : {}),
    },
  });
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    ...stream.responseHeaders(),
  });
  res.flushHeaders();

  const aborter = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) aborter.abort('client disconnected');
  });
  registry.add(aborter);
  try {
    await runChat(
      deps,
      {
        ...input,
        ...(request.sessionId ? { sessionId: request.sessionId } : {}),
        ...(request.messageId ? { messageId: request.messageId } : {}),
        tenant: resolveTenant(req),
      },
      stream,
      createSseSender(res),
      aborter.signal,
    );
  } finally {
    registry.delete(aborter);
    if (!res.writableEnded) res.end();
  }
}

/**
 * joinQueryContext copied query-parameter context into the headers before we got the request;
 * report where the browser really put it.
 */
function contextSource(source: string, req: IncomingMessage, url: URL): string {
  if (source !== 'header') return source;
  const fromQuery = parseTraceparent(url.searchParams.get('traceparent'));
  const fromHeader = parseTraceparent(req.headers.traceparent);
  return fromQuery && fromHeader && fromQuery.traceId === fromHeader.traceId && fromQuery.spanId === fromHeader.spanId ? 'query' : source;
}

export function sendJsonError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return void res.end();
  const body = JSON.stringify({ error: message });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
