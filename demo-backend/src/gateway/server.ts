import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { joinQueryContext } from '@streamtrace/node';
import type { ChatDeps } from './chat-flow.js';
import { nameServerSpan } from '../shared/server-span.js';
import { applyCors } from './cors.js';
import { handleMetrics } from './metrics-route.js';
import { handleSseChat, sendJsonError } from './sse-route.js';
import type { StreamRegistry } from './sse-route.js';
import { WS_PATH, createWsChat } from './ws-route.js';

export interface Gateway {
  server: Server;
  /** Cancels every open stream (their spans end as `cancel`) and closes sockets. */
  closeStreams(): void;
}

export function createGateway(deps: ChatDeps): Gateway {
  const registry: StreamRegistry = new Set();
  const ws = createWsChat(deps, registry, deps.config.allowOrigins);
  const server = createServer((req, res) => {
    route(deps, registry, req, res).catch((error: unknown) => {
      deps.logger.error({ err: String(error) }, 'request failed');
      if (!res.headersSent) sendJsonError(res, 500, 'internal error');
      else res.destroy();
    });
  });
  // Before instrumentation-http sees a request: query-parameter context becomes headers, so
  // the HTTP server span of an EventSource request joins the browser's trace.
  joinQueryContext(server);
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://gateway').pathname === WS_PATH) ws.handleUpgrade(req, socket, head);
    else socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n');
  });
  return {
    server,
    closeStreams() {
      for (const aborter of registry) aborter.abort('server shutting down');
      ws.close();
    },
  };
}

async function route(deps: ChatDeps, registry: StreamRegistry, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (applyCors(req, res, deps.config.allowOrigins)) return;
  const path = new URL(req.url ?? '/', 'http://gateway').pathname;
  if ((path === '/api/chat' && req.method === 'POST') || (path === '/api/chat/stream' && req.method === 'GET')) {
    nameServerSpan(req.method, path);
    return handleSseChat(deps, req, res, registry);
  }
  if (path === '/metrics' && req.method === 'GET') return handleMetrics(res);
  if (path === '/api/health' && req.method === 'GET') {
    nameServerSpan(req.method, path);
    const body = JSON.stringify({
      status: 'ok',
      service: 'chat-gateway',
      model: deps.config.modelName,
      modelUrl: deps.config.modelUrl,
      vectorStoreUrl: deps.config.vectorStoreUrl,
      openStreams: registry.size,
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
    return;
  }
  sendJsonError(res, 404, 'not found');
}
