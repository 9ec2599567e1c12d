import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http-error.js';
import { handleIngest } from './ingest.js';
import { handleDashboard, handleFeedbackExport } from './messages/handle-messages.js';
import { handleMetrics } from './metrics/handle-metrics.js';
import { handleGetLogs, handleGetTrace, parseMetricQuery, sendJson } from './query.js';
import { handleListTraces } from './query-bulk.js';
import { handleSampling } from './sampling-rule.js';
import { servePanelPage } from './panel-page.js';
import { panelRows } from './panel-rows.js';
import { serveStatic } from './static-files.js';
import type { CorsPolicy } from './cors.js';
import type { Forwarder } from './forwarder.js';
import type { IngestDeps } from './ingest.js';
import type { LiveFeed } from './live-feed.js';
import type { LogStore } from './log-store.js';
import type { MetricRegistry } from './metrics/registry.js';
import type { MetricStore } from './otlp-metrics/metric-store.js';
import type { SamplingRuleStore } from './sampling-rule.js';
import type { SpanStore } from './span-store.js';

export interface RouterDeps {
  spans: SpanStore;
  logs: LogStore;
  /** OTLP metrics received on /v1/metrics. */
  metrics: MetricStore;
  /** Span-derived metrics served on /metrics. */
  registry: MetricRegistry;
  live: LiveFeed;
  forwarder?: Forwarder;
  cors: CorsPolicy;
  hostAllowed: (hostHeader: string | undefined) => boolean;
  panelDir: string | undefined;
  ingest: IngestDeps;
  /** Browser SDKs' sampling rule (`/api/sampling`). */
  sampling: SamplingRuleStore;
}

export type Route = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Maps a request to its handler; handlers throw `HttpError` for refusals. */
export function createRouter(deps: RouterDeps): Route {
  const { spans, logs, metrics, registry, live, forwarder, cors, ingest } = deps;

  const health = () => ({
    ok: true,
    ...spans.stats(),
    ...logs.stats(),
    ...metrics.stats(),
    ...registry.stats(),
    ...ingest.counters,
    liveClients: live.clientCount(),
    ...(forwarder ? { forward: forwarder.stats() } : {}),
  });

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://collector.invalid');
    const path = url.pathname;
    const method = req.method ?? 'GET';

    if (!deps.hostAllowed(req.headers.host)) throw new HttpError(421, `host ${req.headers.host ?? '(none)'} is not served here`);
    if (!cors.apply(req, res)) throw new HttpError(403, `origin ${req.headers.origin} is not allowed`);
    if (method === 'OPTIONS') {
      res.writeHead(204);
      res.end();
      return;
    }

    if (path === '/v1/traces' || path === '/v1/logs' || path === '/v1/metrics') {
      if (method !== 'POST') throw new HttpError(405, 'use POST');
      return handleIngest(path === '/v1/traces' ? 'traces' : path === '/v1/logs' ? 'logs' : 'metrics', req, res, ingest);
    }
    if (path === '/api/sampling') return handleSampling(req, res, deps.sampling);
    if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'method not allowed');

    if (path === '/api/health') return sendJson(res, 200, health());
    if (path === '/api/live' && method === 'GET') {
      const header = req.headers['last-event-id'];
      const lastEventId = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('lastEventId') ?? undefined;
      return live.attach(req, res, lastEventId);
    }
    if (path === '/metrics') return handleMetrics(req, res, registry);
    if (path === '/api/metrics') return sendJson(res, 200, metrics.query(parseMetricQuery(url.searchParams)));
    if (path === '/api/dashboard') return handleDashboard(res, spans, url.searchParams);
    if (path === '/api/export/feedback.jsonl') return handleFeedbackExport(res, spans, method);
    if (path === '/api/traces') return handleListTraces(res, spans, url.searchParams, undefined, () => live.lastEventId());
    let match = /^\/api\/v3\/traces\/([^/]+)$/.exec(path);
    if (match?.[1]) return handleGetTrace(res, spans, match[1], 'jaeger');
    match = /^\/api\/traces\/([^/]+)$/.exec(path);
    if (match?.[1]) return handleGetTrace(res, spans, match[1], 'tempo');
    if (path === '/api/logs/untraced') return sendJson(res, 200, logs.untraced());
    match = /^\/api\/logs\/([^/]+)$/.exec(path);
    if (match?.[1]) return handleGetLogs(res, logs, match[1]);
    if (path.startsWith('/api/') || path.startsWith('/v1/')) throw new HttpError(404, 'no such route');
    // The panel page carries the list it loads first (panel-page.ts).
    const panelList = (limit: number) => panelRows(spans.list({ limit }), live.lastEventId());
    if ((path === '/' || path === '/index.html') && deps.panelDir && (await servePanelPage(req, res, deps.panelDir, url.searchParams, panelList))) return;
    return serveStatic(req, res, deps.panelDir, path);
  };
}

/** Answers a handler's failure as `{ "error": message }`; unexpected errors become 500 and are logged. */
export function answerError(req: IncomingMessage, res: ServerResponse, error: unknown, log: (line: string) => void): void {
  const status = error instanceof HttpError ? error.status : 500;
  if (status === 500) log(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: status === 500 ? 'internal error' : (error as Error).message });
  // The rest of a refused body is not read: close the connection rather than drain it.
  const unread = !req.complete;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...(unread ? { connection: 'close' } : {}),
  });
  res.end(body);
  if (unread) res.on('finish', () => req.destroy());
}
