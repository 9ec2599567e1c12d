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
  private waitingSpans: ReadableSpan[] = [];
  private batchTimer: ReturnType<typeof setTimeout> | undefined;
  private batchClosed = false;

  private readonly exportQueue: ExportQueue;
  private readonly batchOptions: BatchOptions;

  constructor(queue: ExportQueue, options: BatchOptions) {
    this.exportQueue = queue;
    this.batchOptions = options;
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (this.batchClosed || (span.spanContext().traceFlags & 1) === 0) return;
    this.waitingSpans.push(span);
    if (this.waitingSpans.length >= this.batchOptions.maxBatch) this.handOver();
    else this.batchTimer ??= setTimeout(() => this.handOver(), this.batchOptions.delayMs);
  }

  private handOver(): void {
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    const spans = this.waitingSpans;
    this.waitingSpans = [];
    if (spans.length > 0) this.exportQueue.export(spans, () => undefined);
  }

  forceFlush(): Promise<void> {
    this.handOver();
    return Promise.resolve();
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
    this.batchClosed = true;
    await this.exportQueue.shutdown();
  }
}
