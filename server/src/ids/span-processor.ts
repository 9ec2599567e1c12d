import { propagation } from '@opentelemetry/api';
import type { Context, Span } from '@opentelemetry/api';
import { MESSAGE_ID, SESSION_ID } from './attributes.js';
import { setRequestIds } from './set-request-ids.js';

/**
 * Copies `session.id` and `streamtrace.message.id` from the starting span's context baggage onto
 * the span, so every span of a chat request (retrieval, model client, …) can be found by them.
 * Structurally an OpenTelemetry SDK `SpanProcessor`: pass it in `spanProcessors`.
 */
export class RequestIdsSpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    const baggage = propagation.getBaggage(parentContext);
    if (!baggage) return;
    setRequestIds(span, {
      sessionId: baggage.getEntry(SESSION_ID)?.value,
      messageId: baggage.getEntry(MESSAGE_ID)?.value,
    });
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
