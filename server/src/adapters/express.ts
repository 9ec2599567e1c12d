import type { IncomingMessage, ServerResponse } from 'node:http';
import { context } from '@opentelemetry/api';
import { enterRequest } from './request-scope.js';

export { startSseStream } from './sse.js';
export type { SseStream, SseStreamOptions } from './sse.js';
export { traceHttpServer } from './node-http.js';
export { requestScope } from './request-scope.js';
export type { RequestScope } from './request-scope.js';

export type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * Express middleware: `app.use(streamtrace())`. Later handlers run in the request's trace context
 * with session/message ids in baggage (so spans and pino logs get them), the HTTP server span
 * gets the ids, and responses expose the trace headers. Wrap the server in `traceHttpServer`
 * (`traceHttpServer(app.listen(port))`) so that query-parameter context also joins the HTTP
 * server span of the first request.
 */
export function streamtrace(): Middleware {
  return (req, res, next) => {
    const scope = enterRequest(req, res);
    context.with(scope.context, next);
  };
}
