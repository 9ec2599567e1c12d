import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ProcessorHooks } from '../export/tracer.js';
import { isSampled } from './unsampled-buffer.js';

/** Passes only sampled spans to `inner` on end: recorded-but-unsampled spans stay inside the SDK until kept. */
export function sampledOnly(inner: SpanProcessor): ProcessorHooks {
  return {
    onStart: (span, parentContext) => inner.onStart(span, parentContext),
    onEnd(span) {
      if (isSampled(span)) inner.onEnd(span);
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
  };
}
