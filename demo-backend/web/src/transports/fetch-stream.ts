import { isTerminal, parseChatEvent } from '../wire.js';
import { createSseDataParser } from './sse-lines.js';
import type { StreamHandle, StreamHandlers, StreamRequest } from './types.js';

/** `POST /api/chat`, reading the `text/event-stream` body chunk by chunk. */
export function openFetchStream(request: StreamRequest, handlers: StreamHandlers): StreamHandle {
  const controller = new AbortController();
  let stopped = false;
  let failed = false;
  let terminal = false;

  const run = async (): Promise<void> => {
    const body: Record<string, string> = { message: request.message, conversationId: request.conversationId };
    if (request.fault) body['fault'] = request.fault;
    const response = await fetch(`${request.gatewayUrl}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    if (!response.ok || !response.body) throw new Error(`POST /api/chat answered ${response.status}`);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const parser = createSseDataParser();
    for (;;) {
      const { done, value } = await reader.read();
      if (stopped) return;
      const text = done ? decoder.decode() : decoder.decode(value, { stream: true });
      for (const data of parser.push(text)) {
        const event = parseChatEvent(data);
        if (!event || terminal) continue;
        terminal = isTerminal(event);
        handlers.onEvent(event);
      }
      // The gateway ends the body right after `done`/`error`; reading to the end (rather than
      // cancelling) lets the body finish normally for everything observing it.
      if (done) {
        if (!terminal) throw new Error('response body ended before the answer finished');
        return;
      }
    }
  };

  run().catch((error: unknown) => {
    if (stopped || failed || terminal) return;
    failed = true;
    handlers.onFailure(error instanceof Error ? error : new Error(String(error)));
  });
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      controller.abort();
    },
  };
}
