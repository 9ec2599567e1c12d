import { context as apiContext, trace } from '@opentelemetry/api';
import type { ChatMessage } from './message.js';

/**
 * Which message a stream belongs to, decided synchronously when the app opens the stream:
 * the message whose span is active in the OpenTelemetry context (only meaningful with the
 * zone.js context manager), else the most recently started message that has not ended.
 */
/** Open messages kept: an app that never ends its messages must not grow this forever. */
const MAX_OPEN = 50;

export interface MessageRegistry {
  add(message: ChatMessage): void;
  remove(message: ChatMessage): void;
  current(): ChatMessage | undefined;
  /** Open messages, oldest first (a copy). */
  all(): ChatMessage[];
}

export function createMessageRegistry(): MessageRegistry {
  const openMessages: ChatMessage[] = [];
  return {
    add(message) {
      if (message.auto) return;
      openMessages.push(message);
      if (openMessages.length > MAX_OPEN) (openMessages[0] as ChatMessage).cancel('abandoned');
    },
    remove(message) {
      const i = openMessages.indexOf(message);
      if (i >= 0) openMessages.splice(i, 1);
    },
    current() {
      const active = trace.getSpan(apiContext.active());
      if (active !== undefined) {
        const spanId = active.spanContext().spanId;
        for (const message of openMessages) if (message.span.spanContext().spanId === spanId) return message;
      }
      return openMessages[openMessages.length - 1];
    },
    all: () => openMessages.slice(),
  };
}
