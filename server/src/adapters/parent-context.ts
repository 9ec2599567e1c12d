import { context, trace } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import type { RequestContext } from '../context/extract.js';

/**
 * The parent for a stream span: the active context when it holds a local span (the HTTP server
 * span of instrumentation-http), otherwise the context read from the request itself.
 */
export function streamParent(request: RequestContext): Context {
  const active = context.active();
  const span = trace.getSpanContext(active);
  return span && !span.isRemote ? active : request.context;
}
