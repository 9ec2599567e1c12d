import type { Sampler } from '@opentelemetry/sdk-trace-base';
import type { ResolvedConfig } from '../config.js';
import type { Session } from '../session/session.js';
import { sessionProcessor } from '../session/processor.js';
import { SDK_VERSION } from '../version.js';
import { log } from '../diag.js';
import { createExportQueue, type ExportQueue } from './export-queue.js';
import { createFetchPost } from './fetch-sender.js';
import { redactionProcessor } from './redaction.js';
import { createBatchProcessor } from './batch.js';
import { createTracerProvider, type ProcessorHooks, type TracerProvider } from './tracer.js';

const MAX_BATCH = 256;

export interface Pipeline {
  provider: TracerProvider;
  /** Holds spans until the collector took them; its `stats` are `st.stats()`. */
  queue: ExportQueue;
}

export function createProvider(config: ResolvedConfig, session: Session, extra: ProcessorHooks[], sampler: Sampler): Pipeline {
  const post = createFetchPost({ url: config.endpoint, headers: config.exportHeaders, timeoutMs: config.exportTimeoutMillis });
  const queue = createExportQueue({
    send: config.compression ? config.compression(post, (message) => log.warn(message)) : (body) => post(body),
    maxPending: config.maxQueueSize,
    maxBatch: MAX_BATCH,
  });
  const nav = typeof navigator !== 'undefined' ? navigator : undefined;
  const resource = {
    'service.name': config.serviceName,
    'telemetry.sdk.name': '@streamtrace/web',
    'telemetry.sdk.language': 'webjs',
    'telemetry.sdk.version': SDK_VERSION,
    ...(nav?.language ? { 'browser.language': nav.language } : {}),
    ...(nav?.userAgent ? { 'user_agent.original': nav.userAgent } : {}),
    ...config.resourceAttributes,
  };
  const provider = createTracerProvider({
    resource,
    sampler,
    spanProcessors: [
      sessionProcessor(session),
      redactionProcessor(config.redactAttribute, config.captureContent),
      ...extra,
      // Batches sampled spans into the queue (the SDK flushes it on visibilitychange→hidden and
      // pagehide); the queue bounds memory and retries while the collector is unreachable.
      createBatchProcessor(queue, { delayMs: config.scheduledDelayMillis, maxBatch: MAX_BATCH }),
    ],
  });
  return { provider, queue };
}
