import { metrics } from '@opentelemetry/api';
import { preAggregatedHistogram } from '../telemetry/pre-aggregated-histogram.js';
import type { Attributes, Counter, Histogram } from '@opentelemetry/api';
import type { PreAggregatedHistogram } from '../telemetry/pre-aggregated-histogram.js';

/** Buckets of the GenAI semantic conventions for durations (s) and token counts. */
const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const CHUNK_GAP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 2.5];
const RETRIEVAL_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Instruments {
  duration: Histogram;
  /** Recorded for every relayed chunk, so aggregated in place (undefined when metrics are off). */
  perChunk: PreAggregatedHistogram | undefined;
  tokens: Histogram;
  outcomes: Counter;
  retrieval: Histogram;
}

let instruments: Instruments | undefined;

/**
 * Created on first use, not at import: `metrics.getMeter` has no proxy, so a meter taken before
 * register.js installed the SDK would stay a no-op.
 */
function get(): Instruments {
  if (instruments) return instruments;
  const scope = 'streamtrace-demo/chat-gateway';
  const meter = metrics.getMeter(scope);
  instruments = {
    duration: meter.createHistogram('gen_ai.client.operation.duration', {
      unit: 's',
      description: 'GenAI operation duration.',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
    perChunk: preAggregatedHistogram({
      scope,
      name: 'gen_ai.client.operation.time_per_output_chunk',
      unit: 's',
      description: 'Time between consecutive streamed chunks, for every chunk after the first.',
      boundaries: CHUNK_GAP_BUCKETS,
    }),
    tokens: meter.createHistogram('gen_ai.client.token.usage', {
      unit: '{token}',
      description: 'Number of input and output tokens used.',
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    }),
    outcomes: meter.createCounter('streamtrace.stream.outcomes', {
      unit: '{stream}',
      description: 'Chat streams served by the gateway, by outcome (complete, cancel, error), model and tenant.',
    }),
    retrieval: meter.createHistogram('streamtrace.retrieval.duration', {
      unit: 's',
      description: 'Gateway-side retrieval call duration (vector store round trip).',
      advice: { explicitBucketBoundaries: RETRIEVAL_BUCKETS },
    }),
  };
  return instruments;
}

export interface ModelCallLabels {
  model: string;
  provider: string;
}

export interface ModelCallMetrics {
  /** Call for every content chunk, in order. */
  chunk(): void;
  complete(usage: { inputTokens: number; outputTokens: number }): void;
  /** The model call failed; no-op once the call has ended. */
  fail(errorType: string): void;
  /** Client went away: nothing recorded (the outcome counter counts cancels). */
  cancel(): void;
}

/** Starts timing one streamed chat call (`gen_ai.client.*` metrics). */
export function startModelCall(labels: ModelCallLabels): ModelCallMetrics {
  const started = performance.now();
  let lastChunk: number | undefined;
  let ended = false;
  const base: Attributes = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': labels.model,
    'gen_ai.provider.name': labels.provider,
  };
  // The series is looked up once per call, not per chunk.
  const perChunk = get().perChunk?.seriesFor(base);
  const end = (extra: Attributes): void => {
    ended = true;
    get().duration.record((performance.now() - started) / 1000, { ...base, ...extra });
  };
  return {
    chunk() {
      if (ended) return;
      const now = performance.now();
      // No time-to-first-chunk instrument here: the collector derives
      // gen_ai.client.operation.time_to_first_chunk from the chat CLIENT span's
      // gen_ai.response.time_to_first_chunk, with exemplars (docs/deploy/README.md, "One source per metric").
      if (lastChunk !== undefined) perChunk?.record((now - lastChunk) / 1000);
      lastChunk = now;
    },
    complete(usage) {
      if (ended) return;
      end({});
      get().tokens.record(usage.inputTokens, { ...base, 'gen_ai.token.type': 'input' });
      get().tokens.record(usage.outputTokens, { ...base, 'gen_ai.token.type': 'output' });
    },
    fail(errorType) {
      if (!ended) end({ 'error.type': errorType });
    },
    cancel() {
      ended = true;
    },
  };
}

export type StreamOutcome = 'complete' | 'cancel' | 'error';

/** Counts one finished chat stream. `tenant` must already be bounded (metrics-tenant.ts). */
export function recordStreamOutcome(outcome: StreamOutcome, labels: { model: string; tenant: string; errorType?: string }): void {
  get().outcomes.add(1, {
    'streamtrace.stream.outcome': outcome,
    'gen_ai.request.model': labels.model,
    'streamtrace.tenant.id': labels.tenant,
    ...(labels.errorType ? { 'error.type': labels.errorType } : {}),
  });
}

/** Records one retrieval call; cancelled calls are not recorded. */
export function recordRetrieval(seconds: number, labels: { dataSourceId: string; errorType?: string }): void {
  get().retrieval.record(seconds, {
    'gen_ai.operation.name': 'retrieval',
    'gen_ai.data_source.id': labels.dataSourceId,
    ...(labels.errorType ? { 'error.type': labels.errorType } : {}),
  });
}
