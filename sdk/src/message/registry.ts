import { context as apiContext, trace } from '@opentelemetry/api';
import type { ChatMessage } from './message.js';

/**
 * Which message a stream belongs to, decided synchronously when the app opens the stream:
 * the message whose span is active in the OpenTelemetry context (only meaningful with the
 * zone.js context manager), else the most recently started message that has not ended.
 */
/** Open messages kept: an app that never ends its messages must not grow this forever. */
const MAX_OPEN = 50;

export class MessageRegistry {
  private readonly openMessages: ChatMessage[] = [];

  add(message: ChatMessage): void {
    if (message.auto) return;
    this.openMessages.push(message);
    if (this.openMessages.length > MAX_OPEN) (this.openMessages[0] as ChatMessage).cancel('abandoned');
  }

  remove(message: ChatMessage): void {
    const i = this.openMessages.indexOf(message);
    if (i >= 0) this.openMessages.splice(i, 1);
  }

  current(): ChatMessage | undefined {
    const active = trace.getSpan(apiContext.active());
    if (active !== undefined) {
      const spanId = active.spanContext().spanId;
      for (const message of this.openMessages) if (message.span.spanContext().spanId === spanId) return message;
    }
    return this.openMessages[this.openMessages.length - 1];
  }

  /** Open messages, oldest first (a copy). */
  all(): ChatMessage[] {
    return this.openMessages.slice();
  }
}
