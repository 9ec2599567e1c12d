import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
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
export function createBatchProcessor(queue: ExportQueue, options: BatchOptions): Pick<SpanProcessor, 'onEnd' | 'forceFlush' | 'shutdown'> {
  let waiting: ReadableSpan[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const handOver = (): void => {
    clearTimeout(timer);
    timer = undefined;
    const spans = waiting;
    waiting = [];
    if (spans.length > 0) queue.export(spans);
  };
  return {
    onEnd(span) {
      if (closed || (span.spanContext().traceFlags & 1) === 0) return;
      waiting.push(span);
      if (waiting.length >= options.maxBatch) handOver();
      else timer ??= setTimeout(handOver, options.delayMs);
    },
    forceFlush() {
      handOver();
      return Promise.resolve();
    },
    async shutdown() {
      handOver();
      closed = true;
      await queue.shutdown();
    },
  };
}
