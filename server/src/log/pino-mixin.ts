import { context, isSpanContextValid, propagation, trace } from '@opentelemetry/api';
import { sanitizeId } from '../context/ids.js';
import { MESSAGE_ID, SESSION_ID } from '../ids/attributes.js';

export interface TraceLogFields {
  trace_id?: string;
  span_id?: string;
  trace_flags?: string;
  'session.id'?: string;
  'streamtrace.message.id'?: string;
}

/**
 * A pino `mixin`: `pino({ mixin: pinoMixin })` adds the active span's ids and the
 * session/message ids from baggage to every log line. Empty object outside any trace.
 */
export function pinoMixin(): TraceLogFields {
  const fields: TraceLogFields = {};
  const active = context.active();
  const spanContext = trace.getSpanContext(active);
  if (spanContext && isSpanContextValid(spanContext)) {
    fields.trace_id = spanContext.traceId;
    fields.span_id = spanContext.spanId;
    fields.trace_flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  }
  const baggage = propagation.getBaggage(active);
  const sessionId = sanitizeId(baggage?.getEntry(SESSION_ID)?.value);
  const messageId = sanitizeId(baggage?.getEntry(MESSAGE_ID)?.value);
  if (sessionId) fields['session.id'] = sessionId;
  if (messageId) fields['streamtrace.message.id'] = messageId;
  return fields;
}
