import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { isSampled } from './unsampled-buffer.js';

/** Passes only sampled spans to `inner` on end: recorded-but-unsampled spans stay inside the SDK until kept. */
export class SampledOnly implements SpanProcessor {
  private declare readonly sampledInner: SpanProcessor;

  constructor(inner: SpanProcessor) {
    this.sampledInner = inner;
  }

  onStart(span: Span, parentContext: Context): void {
    this.sampledInner.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    if (isSampled(span)) this.sampledInner.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.sampledInner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.sampledInner.shutdown();
  }
}
