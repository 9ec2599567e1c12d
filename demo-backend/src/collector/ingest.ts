import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http-error.js';
import { ShapeError } from './normalize-common.js';
import { normalizeLogs } from './normalize-logs.js';
import { normalizeTraces } from './normalize-traces.js';
import { normalizeMetrics } from './otlp-metrics/normalize-metrics.js';
import { decodeLogs } from './normalize-proto-logs.js';
import { decodeTraces } from './normalize-proto-traces.js';
import { decodeMetricsRequest, encodeExportResponse } from './proto-codec.js';
import { readBody } from './read-body.js';
import type { Forwarder, SignalKind } from './forwarder.js';
import type { LiveFeed } from './live-feed.js';
import type { LogStore } from './log-store.js';
import type { SpanMetrics } from './metrics/span-metrics.js';
import type { IdEncoding } from './normalize-common.js';
import type { MetricStore } from './otlp-metrics/metric-store.js';
import type { SpanStore } from './span-store.js';

export interface IngestDeps {
  spans: SpanStore;
  logs: LogStore;
  metrics: MetricStore;
  /** Span-derived metrics, updated from newly stored spans. */
  spanMetrics?: SpanMetrics;
  live: LiveFeed;
  forwarder?: Forwarder;
  maxBodyBytes: number;
  /** 408 when a request body stalls this long between bytes; 0 = no limit. */
  bodyIdleTimeoutMs?: number;
  counters: { rejectedSpans: number; rejectedLogRecords: number; rejectedDataPoints: number; refusedRequests: number };
}

type BodyFormat = 'json' | 'protobuf';

function bodyFormat(contentType: string | undefined): BodyFormat | undefined {
  const mime = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (mime === 'application/json') return 'json';
  if (mime === 'application/x-protobuf' || mime === 'application/protobuf') return 'protobuf';
  return undefined;
}

function parseBody(format: BodyFormat, bytes: Buffer): { value: unknown; ids: IdEncoding } {
  if (format === 'json') {
    try {
      const text = bytes.toString('utf8');
      return { value: JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text), ids: 'hex' };
    } catch {
      throw new HttpError(400, 'malformed JSON');
    }
  }
  try {
    return { value: decodeMetricsRequest(bytes), ids: 'base64' };
  } catch {
    throw new HttpError(400, 'malformed protobuf');
  }
}

/** Traces and logs in protobuf are decoded straight into stored form (normalize-proto-*.ts). */
function decodeProtobuf(kind: 'traces' | 'logs', bytes: Buffer) {
  try {
    if (kind === 'traces') return { kind, result: decodeTraces(bytes) } as const;
    return { kind, result: decodeLogs(bytes) } as const;
  } catch (error) {
    if (error instanceof ShapeError) throw new HttpError(400, error.message);
    throw new HttpError(400, `malformed protobuf: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function normalize(kind: SignalKind, format: BodyFormat, bytes: Buffer) {
  if (format === 'protobuf' && kind !== 'metrics') return decodeProtobuf(kind, bytes);
  const { value, ids } = parseBody(format, bytes);
  try {
    if (kind === 'traces') {
      const result = normalizeTraces(value, ids);
      return { kind, result } as const;
    }
    if (kind === 'metrics') {
      const result = normalizeMetrics(value, ids);
      return { kind, result } as const;
    }
    const result = normalizeLogs(value, ids);
    return { kind, result } as const;
  } catch (error) {
    if (error instanceof ShapeError) throw new HttpError(400, error.message);
    // Anything else (e.g. a stack overflow on absurd nesting) is still the body's fault.
    throw new HttpError(400, `invalid request: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** `POST /v1/traces`, `/v1/logs` and `/v1/metrics`: decode, validate, store, publish live, forward. */
export async function handleIngest(kind: SignalKind, req: IncomingMessage, res: ServerResponse, deps: IngestDeps): Promise<void> {
  const contentType = req.headers['content-type'];
  const format = bodyFormat(contentType);
  if (!format) throw new HttpError(415, `unsupported content-type ${contentType ?? '(none)'}; use application/json or application/x-protobuf`);
  const raw = await readBody(req, deps.maxBodyBytes, deps.bodyIdleTimeoutMs);
  const contentEncoding = req.headers['content-encoding']?.trim().toLowerCase();
  const bytes = raw.decoded;
  const normalized = normalize(kind, format, bytes);

  const partialSuccess: Record<string, unknown> = {};
  if (normalized.kind === 'traces') {
    const { data, rejected } = normalized.result;
    const fresh = deps.spans.add(data);
    if (fresh.resourceSpans.length > 0) {
      deps.spanMetrics?.observe(fresh);
      deps.live.publish('spans', fresh);
    }
    if (rejected > 0) {
      deps.counters.rejectedSpans += rejected;
      partialSuccess.rejectedSpans = String(rejected);
      partialSuccess.errorMessage = `${rejected} span(s) without a valid traceId/spanId/timestamps were dropped`;
    }
  } else if (normalized.kind === 'metrics') {
    const { items, rejected } = normalized.result;
    deps.metrics.add(items);
    if (rejected > 0) {
      deps.counters.rejectedDataPoints += rejected;
      partialSuccess.rejectedDataPoints = String(rejected);
      partialSuccess.errorMessage = `${rejected} data point(s) with invalid timestamps were dropped`;
    }
  } else {
    const { data, rejected } = normalized.result;
    const stored = deps.logs.add(data);
    if (stored.resourceLogs.length > 0) deps.live.publish('logs', stored);
    if (rejected > 0) {
      deps.counters.rejectedLogRecords += rejected;
      partialSuccess.rejectedLogRecords = String(rejected);
      partialSuccess.errorMessage = `${rejected} log record(s) with invalid ids or timestamps were dropped`;
    }
  }

  deps.forwarder?.forward(kind, raw.received, {
    contentType: contentType ?? 'application/json',
    ...(contentEncoding && contentEncoding !== 'identity' ? { contentEncoding } : {}),
  });

  if (format === 'protobuf') {
    const body = encodeExportResponse(kind, {
      ...partialSuccess,
      ...(partialSuccess.rejectedSpans ? { rejectedSpans: Number(partialSuccess.rejectedSpans) } : {}),
      ...(partialSuccess.rejectedLogRecords ? { rejectedLogRecords: Number(partialSuccess.rejectedLogRecords) } : {}),
      ...(partialSuccess.rejectedDataPoints ? { rejectedDataPoints: Number(partialSuccess.rejectedDataPoints) } : {}),
    });
    res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': body.length });
    res.end(body);
    return;
  }
  const body = JSON.stringify({ partialSuccess });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
