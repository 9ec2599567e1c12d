import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { WebTracerProvider } from '@opentelemetry/sdk-trace-web';
import type { ResolvedConfig } from '../config.js';
import type { Session } from '../session/session.js';
import { SessionSpanProcessor } from '../session/processor.js';
import { SessionSampler } from '../sampling/session-sampler.js';
import { SDK_VERSION } from '../version.js';

/** Bound of spans waiting for export: protects page memory when the collector is unreachable. */
const MAX_QUEUE = 2048;

export function createProvider(config: ResolvedConfig, session: Session, extra: SpanProcessor[]): WebTracerProvider {
  const exporter = new OTLPTraceExporter({ url: config.endpoint, headers: config.exportHeaders });
  const nav = typeof navigator !== 'undefined' ? navigator : undefined;
  const resource = resourceFromAttributes({
    'service.name': config.serviceName,
    'telemetry.sdk.name': '@streamtrace/web',
    'telemetry.sdk.language': 'webjs',
    'telemetry.sdk.version': SDK_VERSION,
    ...(nav?.language ? { 'browser.language': nav.language } : {}),
    ...(nav?.userAgent ? { 'user_agent.original': nav.userAgent } : {}),
    ...config.resourceAttributes,
  });
  return new WebTracerProvider({
    resource,
    sampler: new SessionSampler(() => session.peek(), config.sampleRate),
    spanProcessors: [
      new SessionSpanProcessor(session),
      ...extra,
      // The browser BatchSpanProcessor flushes on visibilitychange→hidden and pagehide; the 0.223
      // exporter then sends with fetch({ keepalive: true }) (≤ 60 KiB in flight), not sendBeacon.
      new BatchSpanProcessor(exporter, {
        maxQueueSize: MAX_QUEUE,
        maxExportBatchSize: 256,
        scheduledDelayMillis: config.scheduledDelayMillis,
      }),
    ],
  });
}
