import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import { extractRequestContext, startStreamSpan } from '@streamtrace/node';
import type { RequestContext } from '@streamtrace/node';
import { isRecord } from '../shared/json-body.js';
import { runChat } from './chat-flow.js';
import type { ChatDeps } from './chat-flow.js';
import { isAllowedOrigin } from './cors.js';
import type { SendEvent } from './events.js';
import { resolveTenant } from './metrics-tenant.js';
import { parseChatInput } from './request-input.js';
import type { StreamRegistry } from './sse-route.js';

export const WS_PATH = '/api/chat/ws';
/** Largest accepted client frame; a chat message is small. */
const MAX_FRAME_BYTES = 64 * 1024;
/** Bytes buffered for a slow client before sends wait for the socket (bounds memory per socket). */
export const WS_HIGH_WATER = 64 * 1024;

/**
 * WebSocket chat: each client frame `{ message, conversationId?, fault?, traceparent?, … }` starts
 * one `stream websocket` span (SERVER, since no HTTP server span exists for an upgrade).
 * Context: the first message uses headers, then query parameters, then the frame; later
 * messages on the same socket use their own frame's context, or start a new trace.
 */
export function createWsChat(deps: ChatDeps, registry: StreamRegistry, allowOrigins: readonly string[]) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  wss.on('connection', (socket: WebSocket, req: IncomingMessage) => serveSocket(deps, registry, socket, req));
  return {
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      const origin = req.headers.origin;
      if (origin !== undefined && !isAllowedOrigin(origin, allowOrigins)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    close(): void {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

function serveSocket(deps: ChatDeps, registry: StreamRegistry, socket: WebSocket, req: IncomingMessage): void {
  let messages = 0;
  let current: AbortController | undefined;
  const upgradeContext = extractRequestContext(req);
  const tenant = resolveTenant(req);
  socket.on('close', () => current?.abort('client disconnected'));
  socket.on('error', () => current?.abort('socket error'));
  socket.on('message', (data: RawData, isBinary: boolean) => {
    const send = createWsSender(socket);
    let frame: unknown;
    try {
      frame = isBinary ? undefined : (JSON.parse(data.toString()) as unknown);
    } catch {
      frame = undefined;
    }
    const input = parseChatInput(frame);
    if (typeof input === 'string') {
      void send({ type: 'error', error: { type: 'invalid_request', message: input } });
      return;
    }
    if (current) {
      void send({ type: 'error', error: { type: 'busy', message: 'a message is still streaming on this socket' } });
      return;
    }
    const request = messageContext(req, upgradeContext, frame, messages++);
    const stream = startStreamSpan({
      transport: 'websocket',
      parent: request.context,
      ...(request.sessionId ? { sessionId: request.sessionId } : {}),
      ...(request.messageId ? { messageId: request.messageId } : {}),
      attributes: {
        'http.route': WS_PATH,
        'streamtrace.context.source': request.source,
        'streamtrace.fault': input.fault ?? 'none',
        'streamtrace.websocket.message_index': messages - 1,
        ...(input.conversationId ? { 'gen_ai.conversation.id': input.conversationId } : {}),
      },
    });
    const aborter = new AbortController();
    current = aborter;
    registry.add(aborter);
    const chat = {
      ...input,
      ...(request.sessionId ? { sessionId: request.sessionId } : {}),
      ...(request.messageId ? { messageId: request.messageId } : {}),
      tenant,
    };
    runChat(deps, chat, stream, send, aborter.signal)
      .catch((error: unknown) => deps.logger.error({ err: String(error) }, 'websocket chat failed'))
      .finally(() => {
        registry.delete(aborter);
        if (current === aborter) current = undefined;
      });
  });
}

function messageContext(req: IncomingMessage, upgrade: RequestContext, frame: unknown, index: number): RequestContext {
  if (index === 0) return extractRequestContext(req, frame);
  const own = extractRequestContext({ headers: {} }, frame);
  if (own.source === 'frame') return own;
  // A later message without its own context: a new trace, but keep the socket's session.
  return extractRequestContext({ headers: {} }, isRecord(frame) ? { ...frame, session_id: frame['session_id'] ?? upgrade.sessionId } : frame);
}

/**
 * Sends one JSON frame. While less than WS_HIGH_WATER bytes wait in the socket it answers at once
 * (no promise per delta, see SendEvent); above that it waits until this frame, and so every frame
 * before it, is handed to the socket (backpressure). A failed write closes the socket, which
 * aborts the stream (serveSocket's `close` / `error` handlers).
 */
export function createWsSender(socket: WebSocket): SendEvent {
  return (event) => {
    if (socket.readyState !== socket.OPEN) return undefined;
    const text = JSON.stringify(event);
    const bytes = Buffer.byteLength(text);
    if (socket.bufferedAmount < WS_HIGH_WATER) {
      socket.send(text);
      return bytes;
    }
    return new Promise((resolve) => socket.send(text, (error) => resolve(error ? undefined : bytes)));
  };
}
