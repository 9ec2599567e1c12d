import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DEFAULT_ALLOW_ORIGINS, createCorsPolicy } from './cors.js';
import { createForwarder } from './forwarder.js';
import { createHostCheck } from './host-check.js';
import { createLiveFeed } from './live-feed.js';
import { createLogStore } from './log-store.js';
import { createMetricRegistry } from './metrics/registry.js';
import { createSpanMetrics } from './metrics/span-metrics.js';
import { createMetricStore } from './otlp-metrics/metric-store.js';
import { answerError, createRouter } from './router.js';
import { createSamplingRule } from './sampling-rule.js';
import { createSpanStore } from './span-store.js';
import { defaultPanelDir } from './static-files.js';
import type { Forwarder } from './forwarder.js';
import type { IngestDeps } from './ingest.js';
import type { LiveFeed, LiveFeedOptions } from './live-feed.js';
import type { LogStore } from './log-store.js';
import type { MetricRegistry } from './metrics/registry.js';
import type { MetricStore } from './otlp-metrics/metric-store.js';
import type { SamplingRuleStore } from './sampling-rule.js';
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
  /** Bound of the OTLP metric store (series, latest point each). Default 10000. */
  maxMetricSeries?: number;
  /** Series limit of each span-derived metric on /metrics. Default 2000. */
  maxSeriesPerMetric?: number;
  /** Largest accepted request body, before and after gzip decoding. Default 4 MiB. */
  maxBodyBytes?: number;
  /** The whole request (headers and body) must arrive within this; else 408. Default 30 s. */
  requestTimeoutMs?: number;
  /** The request headers must arrive within this; else 408. Default 10 s. */
  headersTimeoutMs?: number;
  /** A request body that receives no byte for this long is answered 408. Default 10 s. */
  bodyIdleTimeoutMs?: number;
  /** CORS allow-list (`*` wildcards; `host:*` = any port). Default: localhost, 127.0.0.1, [::1]. chrome-extension:// is always allowed. */
  allowOrigins?: string[];
  /** Also POST every accepted body to this OTLP/HTTP endpoint. */
  forwardUrl?: string;
  /** Folder served at `/`. Default: `@streamtrace/devtools`'s `dist/standalone`. */
  panelDir?: string;
  /** Default browser sampling rate served on `GET /api/sampling` (none: browsers keep their own). */
  samplingRate?: number;
  live?: LiveFeedOptions;
  log?: (line: string) => void;
}

export interface CollectorStore {
  spans: SpanStore;
  logs: LogStore;
  metrics: MetricStore;
}

export interface RunningCollector {
  url: string;
  port: number;
  store: CollectorStore;
  /** Span-derived metrics (what /metrics serves). */
  registry: MetricRegistry;
  live: LiveFeed;
  forwarder?: Forwarder;
  /** The sampling rule served on `/api/sampling`. */
  sampling: SamplingRuleStore;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 4318;
export const DEFAULT_MAX_SPANS = 100_000;
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_METRIC_SERIES = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_BODY_IDLE_TIMEOUT_MS = 10_000;

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
  const metrics = createMetricStore({ maxSeries: options.maxMetricSeries ?? DEFAULT_MAX_METRIC_SERIES });
  const registry = createMetricRegistry(options.maxSeriesPerMetric !== undefined ? { maxSeriesPerMetric: options.maxSeriesPerMetric } : {});
  const spanMetrics = createSpanMetrics(registry);
  const live = createLiveFeed(options.live);
  const cors = createCorsPolicy(options.allowOrigins ?? DEFAULT_ALLOW_ORIGINS);
  const forwarder = options.forwardUrl ? createForwarder({ url: options.forwardUrl, log }) : undefined;
  const counters = { rejectedSpans: 0, rejectedLogRecords: 0, rejectedDataPoints: 0, refusedRequests: 0 };
  const ingest: IngestDeps = {
    spans,
    logs,
    metrics,
    spanMetrics,
    live,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    bodyIdleTimeoutMs: options.bodyIdleTimeoutMs ?? DEFAULT_BODY_IDLE_TIMEOUT_MS,
    counters,
    ...(forwarder ? { forwarder } : {}),
  };

  let closing: Promise<void> | undefined;
  const sampling = createSamplingRule(options.samplingRate !== undefined ? { defaultRate: options.samplingRate } : {});

  const route = createRouter({
    spans,
    logs,
    metrics,
    registry,
    live,
    cors,
    hostAllowed: createHostCheck(host),
    panelDir: options.panelDir ?? defaultPanelDir(),
    ingest,
    sampling,
    ...(forwarder ? { forwarder } : {}),
  });
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const headersOption = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const headersTimeout = requestTimeout > 0 ? Math.min(headersOption, requestTimeout) : headersOption;
  // Slow clients (slowloris): node answers 408 and closes a connection whose headers or whole
  // request did not arrive in time; it checks every connectionsCheckingInterval ms.
  const serverOptions = {
    requestTimeout,
    headersTimeout,
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor((headersTimeout || 4000) / 4))),
  };
  const server = createServer(serverOptions, (req, res) => {
    route(req, res).catch((error: unknown) => {
      counters.refusedRequests++;
      answerError(req, res, error, log);
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
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const timedOut = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    if (socket.writable) socket.end(timedOut ? 'HTTP/1.1 408 Request Timeout\r\nconnection: close\r\n\r\n' : 'HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
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
    store: { spans, logs, metrics },
    registry,
    live,
    sampling,
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
