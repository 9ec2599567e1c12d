import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { formatTraceparent } from '../context/traceparent.js';

/** Value for `Access-Control-Expose-Headers` so browser code can read the trace headers. */
export const EXPOSE_HEADERS = 'traceparent, x-trace-id, server-timing';
/** Value for `Access-Control-Allow-Headers` so browsers may send context as headers. */
export const ALLOW_HEADERS = 'content-type, traceparent, tracestate, baggage, x-session-id, x-message-id, x-tenant-id';

/**
 * Response headers that tell the browser which server span answered: `traceparent`,
 * `x-trace-id` and `server-timing: traceparent;desc="…"` (the W3C Server-Timing trace-context
 * proposal). Empty when `ctx` holds no valid span context.
 */
export function streamResponseHeaders(ctx: Context): Record<string, string> {
  const spanContext = trace.getSpanContext(ctx);
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  const traceparent = formatTraceparent(spanContext.traceId, spanContext.spanId, spanContext.traceFlags);
  return {
    traceparent,
    'x-trace-id': spanContext.traceId,
    'server-timing': `traceparent;desc="${traceparent}"`,
  };
}
