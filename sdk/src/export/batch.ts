import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ExportQueue } from './export-queue.js';

export interface BatchOptions {
  /** Wait this long after the first ended span before handing the batch over. */
  delayMs: number;
  /** Hand over at once when this many wait. */
  maxBatch: number;
}

/**
 * Collects ended sampled spans and hands them to the export queue in batches, after `delayMs` or
 * as soon as `maxBatch` are waiting, and synchronously on `forceFlush()` (the SDK calls it when the
 * page is hidden or left, then sends right away). The queue bounds memory and counts drops.
 */
export class BatchProcessor implements SpanProcessor {
  private batch: ReadableSpan[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(private readonly queue: ExportQueue, private readonly options: BatchOptions) {}

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (this.closed || (span.spanContext().traceFlags & 1) === 0) return;
    this.batch.push(span);
    if (this.batch.length >= this.options.maxBatch) this.handOver();
    else this.timer ??= setTimeout(() => this.handOver(), this.options.delayMs);
  }

  private handOver(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const spans = this.batch;
    this.batch = [];
    if (spans.length > 0) this.queue.export(spans, () => undefined);
  }

  forceFlush(): Promise<void> {
    this.handOver();
    return Promise.resolve();
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
    this.closed = true;
    await this.queue.shutdown();
  }
}
