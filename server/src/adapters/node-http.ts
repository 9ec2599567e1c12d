import type { Server } from 'node:http';
import { joinQueryContext } from '../context/join-query.js';

/**
 * Prepares a `node:http` server for Streamtrace: query-parameter context (EventSource,
 * WebSocket) joins the HTTP server span to the browser's trace. Returns the same server.
 */
export function traceHttpServer<S extends Server>(server: S): S {
  joinQueryContext(server);
  return server;
}
