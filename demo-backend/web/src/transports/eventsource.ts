import { isTerminal, parseChatEvent } from '../wire.js';
import type { StreamHandle, StreamHandlers, StreamRequest } from './types.js';

/** `GET /api/chat/stream` through the native EventSource (the SDK adds trace context to the URL). */
export function openEventSource(request: StreamRequest, handlers: StreamHandlers): StreamHandle {
  const url = new URL(`${request.gatewayUrl}/api/chat/stream`);
  url.searchParams.set('message', request.message);
  url.searchParams.set('conversationId', request.conversationId);
  if (request.fault) url.searchParams.set('fault', request.fault);

  const source = new EventSource(url.toString());
  let finished = false;
  const finish = (): void => {
    finished = true;
    // Without close() EventSource reconnects and the gateway would answer a second time.
    source.close();
  };

  source.onmessage = (message: MessageEvent<string>) => {
    if (finished) return;
    const event = parseChatEvent(message.data);
    if (!event) return;
    if (isTerminal(event)) finish();
    handlers.onEvent(event);
  };
  source.onerror = () => {
    if (finished) return;
    finish();
    handlers.onFailure(new Error('EventSource connection lost before the answer finished'));
  };
  return {
    stop() {
      if (!finished) finish();
    },
  };
}
