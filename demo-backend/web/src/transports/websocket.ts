import { isTerminal, parseChatEvent } from '../wire.js';
import type { StreamHandle, StreamHandlers, StreamRequest } from './types.js';

/** `GATEWAY/api/chat/ws`: one socket per message; the question goes in the first frame. */
export function openWebSocket(request: StreamRequest, handlers: StreamHandlers): StreamHandle {
  const url = new URL(`${request.gatewayUrl}/api/chat/ws`);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';

  const socket = new WebSocket(url.toString());
  let finished = false;
  const finish = (code: number, reason: string): void => {
    finished = true;
    if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN) socket.close(code, reason);
  };

  socket.onopen = () => {
    const frame: Record<string, string> = { message: request.message, conversationId: request.conversationId };
    if (request.fault) frame['fault'] = request.fault;
    socket.send(JSON.stringify(frame));
  };
  socket.onmessage = (message: MessageEvent) => {
    if (finished || typeof message.data !== 'string') return;
    const event = parseChatEvent(message.data);
    if (!event) return;
    if (isTerminal(event)) finish(1000, 'done');
    handlers.onEvent(event);
  };
  socket.onclose = (close: CloseEvent) => {
    if (finished) return;
    finished = true;
    handlers.onFailure(new Error(`WebSocket closed before the answer finished (code ${close.code})`));
  };
  return {
    stop() {
      if (!finished) finish(1000, 'user');
    },
  };
}
