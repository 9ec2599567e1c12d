import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ProcessorHooks } from '../export/tracer.js';
import { isSampled } from './unsampled-buffer.js';

/** Passes only sampled spans to `inner` on end (its `onStart` is not called): recorded-but-unsampled spans stay inside the SDK until kept. */
export function sampledOnly(inner: Pick<SpanProcessor, 'onEnd' | 'forceFlush' | 'shutdown'>): ProcessorHooks {
  return {
    onEnd(span) {
      if (isSampled(span)) inner.onEnd(span);
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
  };
}
