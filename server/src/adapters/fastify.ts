import { context } from '@opentelemetry/api';
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { joinQueryContext } from '../context/join-query.js';
import { startSseStream } from './sse.js';
import type { SseStream, SseStreamOptions } from './sse.js';
import { enterRequest } from './request-scope.js';

export { requestScope } from './request-scope.js';
export type { RequestScope } from './request-scope.js';
export type { SseStream, SseStreamOptions } from './sse.js';

const plugin: FastifyPluginCallback = (fastify, _options, done) => {
  // Registered before listen, so even the first query-context request joins the browser's trace.
  joinQueryContext(fastify.server);
  fastify.addHook('onRequest', (request, reply, next) => {
    const scope = enterRequest(request.raw, reply.raw);
    context.with(scope.context, next);
  });
  done();
};
// What `fastify-plugin` does: the hook applies to the whole app, not only to this plugin's scope.
Object.assign(plugin, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: '@streamtrace/node' });

/**
 * Fastify plugin: `await app.register(streamtrace)`. Query-parameter context joins the HTTP
 * server span, handlers run in the request's trace context with the session/message ids in
 * baggage, and responses expose the trace headers.
 */
export const streamtrace = plugin;

/** Takes over the reply (`reply.hijack()`) and starts a traced SSE stream on it. */
export function startFastifySse(request: FastifyRequest, reply: FastifyReply, options?: SseStreamOptions): SseStream {
  reply.hijack();
  return startSseStream(request.raw, reply.raw, options);
}
