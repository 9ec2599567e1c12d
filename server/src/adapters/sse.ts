import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { extractRequestContext } from '../context/extract.js';
import type { RequestContext } from '../context/extract.js';
import { startStreamSpan } from '../stream/stream-span.js';
import type { StreamSpan, StreamSpanOptions } from '../stream/stream-span.js';
import { EXPOSE_HEADERS } from '../stream/response-headers.js';
import { streamParent } from './parent-context.js';

export interface SseStreamOptions extends Omit<StreamSpanOptions, 'transport' | 'sessionId' | 'messageId'> {
  /** Response status, default 200. */
  status?: number;
  /** Extra response headers (CORS, …); the trace headers are added to them. */
  headers?: OutgoingHttpHeaders;
}

export interface SseStream extends StreamSpan {
  /** Context, source and ids read from the request. */
  request: RequestContext;
  /** Writes one SSE event (`id: <n>`, `data: <json>`); `delta: true` counts it as a delta. */
  send(data: unknown, options?: { delta?: boolean }): boolean;
}

/**
 * Starts an SSE response traced by a `stream sse` span: writes the event-stream headers with the
 * trace headers, and ends the span as `cancel` if the client goes away first. `complete` and
 * `fail` also end the response.
 */
export function startSseStream(req: IncomingMessage, res: ServerResponse, options: SseStreamOptions = {}): SseStream {
  const request = extractRequestContext(req);
  const { status, headers, ...spanOptions } = options;
  const stream = startStreamSpan({
    ...spanOptions,
    transport: 'sse',
    parent: options.parent ?? streamParent(request),
    sessionId: request.sessionId,
    messageId: request.messageId,
  });
  const expose = [headers?.['access-control-expose-headers'], EXPOSE_HEADERS].filter(Boolean).join(', ');
  res.writeHead(status ?? 200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    ...headers,
    ...stream.responseHeaders(),
    'access-control-expose-headers': expose,
  });
  res.flushHeaders();

  const onClose = (): void => stream.cancel('client closed');
  res.once('close', onClose);
  let nextId = 0;
  const endResponse = (): void => {
    res.off('close', onClose);
    if (!res.writableEnded) res.end();
  };

  return {
    ...stream,
    request,
    get ended() {
      return stream.ended;
    },
    send(data, sendOptions) {
      if (stream.ended || res.writableEnded) return false;
      const frame = `id: ${nextId++}\ndata: ${JSON.stringify(data)}\n\n`;
      if (sendOptions?.delta) stream.delta(Buffer.byteLength(frame));
      else stream.eventSent();
      return res.write(frame);
    },
    complete(attributes) {
      stream.complete(attributes);
      endResponse();
    },
    fail(error, errorType) {
      stream.fail(error, errorType);
      endResponse();
    },
    cancel(reason) {
      stream.cancel(reason);
      endResponse();
    },
  };
}
