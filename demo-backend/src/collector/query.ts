import type { ServerResponse } from 'node:http';
import { HttpError } from './http-error.js';
import type { LogStore } from './log-store.js';
import type { MetricQuery } from './otlp-metrics/metric-store.js';
import type { SpanStore, TraceQuery } from './span-store.js';

const TRACE_ID = /^[0-9a-f]{32}$/;
const MAX_LIST_LIMIT = 1000;

const JSON_TYPE = 'application/json; charset=utf-8';

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  // Encoded once; a string would be scanned for its byte length and then encoded again.
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': body.length });
  res.end(body);
}

/** Trace ids in URLs are accepted in either case and answered in lower case. */
export function parseTraceId(raw: string): string {
  let id: string;
  try {
    id = decodeURIComponent(raw).toLowerCase();
  } catch {
    throw new HttpError(400, 'malformed trace id');
  }
  if (!TRACE_ID.test(id) || /^0+$/.test(id)) throw new HttpError(400, 'malformed trace id: expected 32 hex digits');
  return id;
}

function optionalParam(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name);
  return value === null || value === '' ? undefined : value;
}

function numberParam(params: URLSearchParams, name: string): number | undefined {
  const value = optionalParam(params, name);
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new HttpError(400, `${name} must be a non-negative number`);
  return number;
}

export function parseTraceQuery(params: URLSearchParams): TraceQuery {
  const query: TraceQuery = { limit: Math.min(MAX_LIST_LIMIT, Math.floor(numberParam(params, 'limit') ?? 100)) };
  const service = optionalParam(params, 'service');
  if (service !== undefined) query.service = service;
  const sessionId = optionalParam(params, 'sessionId');
  if (sessionId !== undefined) query.sessionId = sessionId;
  const messageId = optionalParam(params, 'messageId');
  if (messageId !== undefined) query.messageId = messageId;
  const since = numberParam(params, 'since');
  if (since !== undefined) query.since = since;
  return query;
}

export function parseMetricQuery(params: URLSearchParams): MetricQuery {
  const query: MetricQuery = {};
  const name = optionalParam(params, 'name');
  if (name !== undefined) query.name = name;
  const service = optionalParam(params, 'service');
  if (service !== undefined) query.service = service;
  return query;
}

/** `GET /api/v3/traces/{id}` (Jaeger v2 shape) and `GET /api/traces/{id}` (Tempo, plain OTLP JSON). */
export function handleGetTrace(res: ServerResponse, spans: SpanStore, rawId: string, shape: 'jaeger' | 'tempo'): void {
  const traceId = parseTraceId(rawId);
  const body = spans.getJson(traceId);
  if (!body) throw new HttpError(404, `trace ${traceId} not found`);
  if (shape === 'tempo') {
    res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': body.length });
    res.end(body);
    return;
  }
  // `{"result":<body>}` without copying the (possibly megabytes of) cached body.
  res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': JAEGER_PREFIX.length + body.length + JAEGER_SUFFIX.length });
  res.write(JAEGER_PREFIX);
  res.write(body);
  res.end(JAEGER_SUFFIX);
}

const JAEGER_PREFIX = Buffer.from('{"result":');
const JAEGER_SUFFIX = Buffer.from('}');

export function handleGetLogs(res: ServerResponse, logs: LogStore, rawId: string): void {
  const traceId = parseTraceId(rawId);
  sendJson(res, 200, logs.get(traceId) ?? { resourceLogs: [] });
}
