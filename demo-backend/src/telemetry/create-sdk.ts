import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InstrumentType, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { IMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createPreAggregatedProducer } from './pre-aggregated-histogram.js';

export interface TelemetryOptions {
  serviceName: string;
  /** Base URL; `/v1/traces`, `/v1/logs` and `/v1/metrics` are appended. */
  otlpEndpoint: string;
  /** Short so tests and the live panel see spans quickly. */
  exportDelayMs?: number;
  /** OTLP metrics push interval. */
  metricIntervalMs?: number;
  extraProcessors?: SpanProcessor[];
  /** Pull readers (e.g. the Prometheus one) added beside the OTLP push reader. */
  extraMetricReaders?: IMetricReader[];
}

/**
 * Exporters give up (retries included) within this, so a down collector cannot stretch shutdown
 * past shared/shutdown.ts's 4 s grace: the default 10 s made a SIGTERM exit with status 1.
 */
const EXPORT_TIMEOUT_MS = 3000;

/** The instrumentation's own default list plus the usual API-key names. */
const SECRET_QUERY_PARAMS = ['sig', 'Signature', 'AWSAccessKeyId', 'X-Goog-Signature', 'X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Security-Token', 'api_key', 'apikey', 'key', 'token', 'access_token'];
const CONTENT_QUERY_PARAMS = ['message'];

function captureContentEnabled(): boolean {
  return process.env['STREAMTRACE_CAPTURE_CONTENT'] === 'true';
}

export function createTelemetrySdk(options: TelemetryOptions): NodeSDK {
  const base = options.otlpEndpoint.replace(/\/+$/, '');
  const exporter = new OTLPTraceExporter({ url: `${base}/v1/traces`, timeoutMillis: EXPORT_TIMEOUT_MS });
  const batch = new BatchSpanProcessor(exporter, {
    scheduledDelayMillis: options.exportDelayMs ?? 200,
    // Bounds memory if the collector is down: spans beyond this are dropped, not queued.
    maxQueueSize: 4096,
    maxExportBatchSize: 512,
  });
  const logs = new BatchLogRecordProcessor({
    exporter: new OTLPLogExporter({ url: `${base}/v1/logs`, timeoutMillis: EXPORT_TIMEOUT_MS }),
    scheduledDelayMillis: options.exportDelayMs ?? 200,
    // Same reasoning: a down collector drops log records beyond the queue, never blocks logging.
    maxQueueSize: 2048,
    maxExportBatchSize: 512,
    exportTimeoutMillis: EXPORT_TIMEOUT_MS,
  });
  // The reader throws (crashing the preload) when the timeout exceeds the interval.
  const intervalMs = Math.max(100, options.metricIntervalMs ?? 5000);
  const metricExporter = new OTLPMetricExporter({ url: `${base}/v1/metrics`, timeoutMillis: EXPORT_TIMEOUT_MS });
  const metrics = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: intervalMs,
    exportTimeoutMillis: Math.min(EXPORT_TIMEOUT_MS, intervalMs),
    // Per-chunk histograms are aggregated outside the SDK's instruments (pre-aggregated-histogram.ts).
    metricProducers: [createPreAggregatedProducer(() => metricExporter.selectAggregationTemporality(InstrumentType.HISTOGRAM))],
  });
  return new NodeSDK({
    serviceName: options.serviceName,
    spanProcessors: [...(options.extraProcessors ?? []), batch],
    instrumentations: [
      new HttpInstrumentation({
        // Prometheus scrapes every few seconds would otherwise each become a trace.
        ignoreIncomingRequestHook: (req) => (req.url ?? '').split('?')[0] === '/metrics',
        // EventSource questions arrive as `?message=`: the prompt stays off spans unless opted in.
        redactedQueryParamsServer: captureContentEnabled() ? SECRET_QUERY_PARAMS : [...SECRET_QUERY_PARAMS, ...CONTENT_QUERY_PARAMS],
      }),
      new GrpcInstrumentation(),
    ],
    // A stream span carries up to 200 sampled delta events plus start/end; the default limit
    // (128) would drop the oldest, i.e. stream.start and the first deltas.
    spanLimits: { eventCountLimit: 256 },
    metricReaders: [metrics, ...(options.extraMetricReaders ?? [])],
    logRecordProcessors: [logs],
  });
}
