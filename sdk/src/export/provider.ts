import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type Sampler, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { WebTracerProvider } from '@opentelemetry/sdk-trace-web';
import type { ResolvedConfig } from '../config.js';
import type { Session } from '../session/session.js';
import { SessionSpanProcessor } from '../session/processor.js';
import { SessionSampler } from '../sampling/session-sampler.js';
import { SDK_VERSION } from '../version.js';
import { ExportQueue } from './export-queue.js';
import { createFetchSender } from './fetch-sender.js';
import { RedactionProcessor } from './redaction.js';

const MAX_BATCH = 256;

export interface Pipeline {
  provider: WebTracerProvider;
  /** Holds spans until the collector took them; its `stats` are `st.stats()`. */
  queue: ExportQueue;
}

export function createProvider(config: ResolvedConfig, session: Session, extra: SpanProcessor[], sampler?: Sampler): Pipeline {
  const queue = new ExportQueue({
    send: createFetchSender({ url: config.endpoint, headers: config.exportHeaders, timeoutMs: config.exportTimeoutMillis }),
    maxPending: config.maxQueueSize,
    maxBatch: MAX_BATCH,
  });
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
  const provider = new WebTracerProvider({
    resource,
    sampler: sampler ?? new SessionSampler(() => session.peek(), config.sampleRate),
    spanProcessors: [
      new SessionSpanProcessor(session),
      new RedactionProcessor(config.redactAttribute, config.captureContent),
      ...extra,
      // Batches spans (and flushes on visibilitychange→hidden / pagehide) into the queue, which
      // accepts at once; the queue bounds memory and retries while the collector is unreachable.
      new BatchSpanProcessor(queue, {
        // Larger than the queue's bound: the BatchSpanProcessor would drop the newest spans, uncounted.
        maxQueueSize: Math.max(2048, config.maxQueueSize),
        maxExportBatchSize: MAX_BATCH,
        scheduledDelayMillis: config.scheduledDelayMillis,
      }),
    ],
  });
  return { provider, queue };
}
