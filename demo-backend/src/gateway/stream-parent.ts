import { context, trace } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { setRequestIds } from '@streamtrace/node';
import type { RequestContext } from '@streamtrace/node';

/**
 * Parent for a stream span: the HTTP server span of instrumentation-http when there is one
 * (it already joined the browser's trace), else the context read from the request itself.
 * Also tags that server span with the request's session/message ids.
 */
export function streamParent(request: RequestContext): Context {
  const active = context.active();
  const serverSpan = trace.getSpan(active);
  if (serverSpan && !serverSpan.spanContext().isRemote && serverSpan.isRecording()) {
    setRequestIds(serverSpan, { sessionId: request.sessionId, messageId: request.messageId });
    return active;
  }
  return request.context;
}
