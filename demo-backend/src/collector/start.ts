import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DEFAULT_ALLOW_ORIGINS, createCorsPolicy } from './cors.js';
import { createForwarder } from './forwarder.js';
import { createHostCheck } from './host-check.js';
import { HttpError } from './http-error.js';
import { handleIngest } from './ingest.js';
import { createLiveFeed } from './live-feed.js';
import { createLogStore } from './log-store.js';
import { handleGetLogs, handleGetTrace, parseTraceQuery, sendJson } from './query.js';
import { createSpanStore } from './span-store.js';
import { defaultPanelDir, serveStatic } from './static-files.js';
import type { Forwarder } from './forwarder.js';
import type { IngestDeps } from './ingest.js';
import type { LiveFeed, LiveFeedOptions } from './live-feed.js';
import type { LogStore } from './log-store.js';
import type { SpanStore } from './span-store.js';

export interface CollectorOptions {
  /** 0 picks a free port. Default 4318. */
  port?: number;
  /** Default 127.0.0.1: the collector has no authentication, keep it on the loopback interface. */
  host?: string;
  /** Bound of the span store. Default 100000. */
  maxSpans?: number;
  /** Bound of the log store. Default maxSpans. */
  maxLogRecords?: number;
  /** Largest accepted request body, before and after gzip decoding. Default 4 MiB. */
  maxBodyBytes?: number;
  /** CORS allow-list (`*` wildcards; `host:*` = any port). Default: localhost, 127.0.0.1, [::1]. chrome-extension:// is always allowed. */
  allowOrigins?: string[];
  /** Also POST every accepted body to this OTLP/HTTP endpoint. */
  forwardUrl?: string;
  /** Folder served at `/`. Default: `@streamtrace/devtools`'s `dist/standalone`. */
  panelDir?: string;
  live?: LiveFeedOptions;
  log?: (line: string) => void;
}

export interface CollectorStore {
  spans: SpanStore;
  logs: LogStore;
}

export interface RunningCollector {
  url: string;
  port: number;
  store: CollectorStore;
  live: LiveFeed;
  forwarder?: Forwarder;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 4318;
export const DEFAULT_MAX_SPANS = 100_000;
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts the dev collector; resolves once it listens. */
export async function startCollector(options: CollectorOptions = {}): Promise<RunningCollector> {
  const log = options.log ?? (() => undefined);
  const host = options.host ?? '127.0.0.1';
  const maxSpans = options.maxSpans ?? DEFAULT_MAX_SPANS;
  const spans = createSpanStore({ maxSpans });
  const logs = createLogStore({ maxLogRecords: options.maxLogRecords ?? maxSpans });
  const live = createLiveFeed(options.live);
  const cors = createCorsPolicy(options.allowOrigins ?? DEFAULT_ALLOW_ORIGINS);
  const panelDir = options.panelDir ?? defaultPanelDir();
  const hostAllowed = createHostCheck(host);
  const forwarder = options.forwardUrl ? createForwarder({ url: options.forwardUrl, log }) : undefined;
  const counters = { rejectedSpans: 0, rejectedLogRecords: 0, refusedRequests: 0 };
  const ingest: IngestDeps = {
    spans,
    logs,
    live,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    counters,
    ...(forwarder ? { forwarder } : {}),
  };

  let closing: Promise<void> | undefined;

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://collector.invalid');
    const path = url.pathname;
    const method = req.method ?? 'GET';

    if (!hostAllowed(req.headers.host)) throw new HttpError(421, `host ${req.headers.host ?? '(none)'} is not served here`);
    if (!cors.apply(req, res)) throw new HttpError(403, `origin ${req.headers.origin} is not allowed`);
    if (method === 'OPTIONS') {
      res.writeHead(204);
      res.end();
      return;
    }

    if (path === '/v1/traces' || path === '/v1/logs') {
      if (method !== 'POST') throw new HttpError(405, 'use POST');
      return handleIngest(path === '/v1/traces' ? 'traces' : 'logs', req, res, ingest);
    }
    if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'method not allowed');

    if (path === '/api/health') {
      return sendJson(res, 200, {
        ok: true,
        ...spans.stats(),
        ...logs.stats(),
        rejectedSpans: counters.rejectedSpans,
        rejectedLogRecords: counters.rejectedLogRecords,
        refusedRequests: counters.refusedRequests,
        liveClients: live.clientCount(),
        ...(forwarder ? { forward: forwarder.stats() } : {}),
      });
    }
    if (path === '/api/live' && method === 'GET') {
      const header = req.headers['last-event-id'];
      const lastEventId = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('lastEventId') ?? undefined;
      return live.attach(req, res, lastEventId);
    }
    if (path === '/api/traces') return sendJson(res, 200, { traces: spans.list(parseTraceQuery(url.searchParams)) });
    let match = /^\/api\/v3\/traces\/([^/]+)$/.exec(path);
    if (match?.[1]) return handleGetTrace(res, spans, match[1], 'jaeger');
    match = /^\/api\/traces\/([^/]+)$/.exec(path);
    if (match?.[1]) return handleGetTrace(res, spans, match[1], 'tempo');
    match = /^\/api\/logs\/([^/]+)$/.exec(path);
    if (match?.[1]) return handleGetLogs(res, logs, match[1]);
    if (path.startsWith('/api/') || path.startsWith('/v1/')) throw new HttpError(404, 'no such route');
    return serveStatic(req, res, panelDir, path);
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) log(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      counters.refusedRequests++;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const body = JSON.stringify({ error: error instanceof Error ? error.message : 'internal error' });
      // The rest of a refused body is not read: close the connection rather than drain it.
      const unread = !req.complete;
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        ...(unread ? { connection: 'close' } : {}),
      });
      res.end(body);
      if (unread) res.on('finish', () => req.destroy());
    });
  });
  // Requests in progress per socket, so close() can drop idle sockets at once (including those a
  // client opened speculatively and never used, which closeIdleConnections() does not see).
  const inProgress = new Map<Socket, number>();
  server.on('connection', (socket: Socket) => {
    inProgress.set(socket, 0);
    socket.on('close', () => inProgress.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    inProgress.set(socket, (inProgress.get(socket) ?? 0) + 1);
    res.on('close', () => {
      const count = (inProgress.get(socket) ?? 1) - 1;
      if (inProgress.has(socket)) inProgress.set(socket, count);
      if (closing && count === 0) socket.destroy();
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${urlHost(host)}:${port}`;
  log(`listening on ${url} (max ${maxSpans} spans${forwarder ? `, forwarding to ${options.forwardUrl}` : ''})`);

  return {
    url,
    port,
    store: { spans, logs },
    live,
    ...(forwarder ? { forwarder } : {}),
    close() {
      closing ??= new Promise<void>((resolve) => {
        live.close();
        server.close(() => resolve());
        for (const [socket, count] of inProgress) if (count === 0) socket.destroy();
        // Requests still in progress get a moment to finish, then their sockets are closed.
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      }).then(() => forwarder?.drain());
      return closing;
    },
  };
}
