import type { IncomingMessage } from 'node:http';
import { SpanKind } from '@opentelemetry/api';
import { extractRequestContext } from '../context/extract.js';
import type { IncomingRequestLike, RequestContext } from '../context/extract.js';
import { startStreamSpan } from '../stream/stream-span.js';
import type { StreamSpan, StreamSpanOptions } from '../stream/stream-span.js';

/** The part of a `ws` WebSocket this adapter uses. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string, cb?: (err?: Error) => void): void;
  once(event: 'close', listener: (code: number, reason: Buffer) => void): unknown;
  off(event: 'close', listener: (code: number, reason: Buffer) => void): unknown;
}

export interface TraceWebSocketOptions extends Omit<StreamSpanOptions, 'transport' | 'sessionId' | 'messageId'> {
  /** The first frame the client sent (raw data or parsed object): its context fields are the fallback. */
  firstFrame?: unknown;
}

export interface TracedWebSocket extends StreamSpan {
  request: RequestContext;
  /** Sends one JSON frame; `delta: true` counts it as a delta. False when the socket is not open. */
  send(data: unknown, options?: { delta?: boolean }): boolean;
}

const OPEN = 1;

/**
 * Traces one streamed answer on a `ws` WebSocket as a SERVER `stream websocket` span (the
 * upgrade is not traced by instrumentation-http). Context comes from the upgrade request's
 * headers or query, else from the first frame. Closing the socket before the end gives `cancel`.
 */
export function traceWebSocket(
  ws: WebSocketLike,
  req: IncomingMessage | IncomingRequestLike,
  options: TraceWebSocketOptions = {},
): TracedWebSocket {
  const { firstFrame, ...spanOptions } = options;
  const request = extractRequestContext(req, firstFrame);
  const stream = startStreamSpan({
    kind: SpanKind.SERVER,
    ...spanOptions,
    transport: 'websocket',
    parent: options.parent ?? request.context,
    sessionId: request.sessionId,
    messageId: request.messageId,
  });
  const onClose = (code: number): void => stream.cancel(`socket closed (${code})`);
  ws.once('close', onClose);
  const detach = (): void => {
    ws.off('close', onClose);
  };
  return {
    ...stream,
    request,
    get ended() {
      return stream.ended;
    },
    send(data, sendOptions) {
      if (stream.ended || ws.readyState !== OPEN) return false;
      const text = JSON.stringify(data);
      if (sendOptions?.delta) stream.delta(Buffer.byteLength(text));
      else stream.eventSent();
      ws.send(text);
      return true;
    },
    complete(attributes) {
      detach();
      stream.complete(attributes);
    },
    fail(error, errorType) {
      detach();
      stream.fail(error, errorType);
    },
    cancel(reason) {
      detach();
      stream.cancel(reason);
    },
  };
}
