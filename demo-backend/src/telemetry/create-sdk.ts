import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';

export interface TelemetryOptions {
  serviceName: string;
  /** Base URL; `/v1/traces` is appended. */
  otlpEndpoint: string;
  /** Short so tests and the live panel see spans quickly. */
  exportDelayMs?: number;
  extraProcessors?: SpanProcessor[];
}

export function createTelemetrySdk(options: TelemetryOptions): NodeSDK {
  const exporter = new OTLPTraceExporter({ url: `${options.otlpEndpoint.replace(/\/+$/, '')}/v1/traces` });
  const batch = new BatchSpanProcessor(exporter, {
    scheduledDelayMillis: options.exportDelayMs ?? 200,
    // Bounds memory if the collector is down: spans beyond this are dropped, not queued.
    maxQueueSize: 4096,
    maxExportBatchSize: 512,
  });
  return new NodeSDK({
    serviceName: options.serviceName,
    spanProcessors: [...(options.extraProcessors ?? []), batch],
    instrumentations: [new HttpInstrumentation()],
    // A stream span carries up to 200 sampled delta events plus start/end; the default limit
    // (128) would drop the oldest, i.e. stream.start and the first deltas.
    spanLimits: { eventCountLimit: 256 },
    // Only traces are exported; metrics and logs readers would otherwise default to OTLP.
    metricReaders: [],
    logRecordProcessors: [],
  });
}
