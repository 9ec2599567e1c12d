import type { SpanContext } from '@opentelemetry/api';

/** The values we hand to a server: W3C trace context plus our session/message ids. */
export interface ContextValues {
  traceparent: string;
  tracestate?: string;
  baggage: string;
  sessionId: string;
  messageId: string;
}

export function contextValues(spanContext: SpanContext, sessionId: string, messageId: string): ContextValues {
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  const tracestate = spanContext.traceState?.serialize();
  return {
    traceparent: `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`,
    tracestate: tracestate || undefined,
    baggage: `session.id=${encodeURIComponent(sessionId)},streamtrace.message.id=${encodeURIComponent(messageId)}`,
    sessionId,
    messageId,
  };
}

/** Header name → value; the app's own headers of the same name win. */
export function contextHeaders(values: ContextValues): [string, string][] {
  const out: [string, string][] = [['traceparent', values.traceparent]];
  if (values.tracestate) out.push(['tracestate', values.tracestate]);
  out.push(['baggage', values.baggage], ['x-session-id', values.sessionId], ['x-message-id', values.messageId]);
  return out;
}
