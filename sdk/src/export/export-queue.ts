import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { encodeOtlpJson } from './otlp-json.js';
import { log } from '../diag.js';

/** Counters of the export pipeline, readable at any time through `st.stats()`. */
export interface ExportStats {
  /** Spans the collector accepted (2xx). */
  spansExported: number;
  /** Spans given up on: the oldest ones when the queue was full, or a batch the collector refused for good (4xx other than 429, 500, 501, a timed-out request). */
  spansDropped: number;
  /** Spans waiting in the queue (memory the SDK holds). */
  spansPending: number;
  /** Export requests that did not succeed (each retry counts). */
  exportFailures: number;
  /** Export requests that were retries of a batch that had failed before. */
  exportRetries: number;
}

export type SendOutcome =
  | { kind: 'ok' }
  /** Not delivered (network error, offline, CORS refusal, 429/502/503/504): kept and sent again later. */
  | { kind: 'retry'; afterMs?: number; reason: string }
  /** Refused, or delivery unknown (timeout): dropped so that nothing is ever stored twice. */
  | { kind: 'drop'; reason: string };

/** Sends one serialized OTLP request. */
export type Send = (body: Uint8Array, urgent: boolean) => Promise<SendOutcome>;

export interface ExportQueueOptions {
  send: Send;
  /** Most spans held while the collector is unreachable; the oldest are dropped beyond it. */
  maxPending: number;
  /** Spans per request. */
  maxBatch: number;
  /** First retry delay; doubles per failure up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  serialize?: (spans: ReadableSpan[]) => Uint8Array | undefined;
}

/**
 * A bounded, at-most-once-per-success export queue behind the batch processor: spans are
 * accepted at once (the page never waits on the collector), sent one request at a time, kept and
 * retried with exponential backoff (or `Retry-After`) while the collector is unreachable, and
 * dropped — oldest first, counted — when more than `maxPending` wait.
 */
export class ExportQueue implements SpanExporter {
  readonly stats: ExportStats = { spansExported: 0, spansDropped: 0, spansPending: 0, exportFailures: 0, exportRetries: 0 };
  private queuedSpans: ReadableSpan[] = [];
  /** How many spans at the head of `pending` have failed before (their next send is a retry). */
  private failedHead = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private backoffMs: number;
  private shutDown = false;
  private readonly toBody: (spans: ReadableSpan[]) => Uint8Array | undefined;

  private readonly queueOptions: ExportQueueOptions;

  constructor(options: ExportQueueOptions) {
    this.queueOptions = options;
    this.backoffMs = options.initialBackoffMs ?? 1000;
    this.toBody = options.serialize ?? (encodeOtlpJson);
  }

  export(spans: ReadableSpan[], resultCallback: (result: { code: 0 | 1; error?: Error }) => void): void {
    if (this.shutDown) {
      resultCallback({ code: 1, error: new Error('exporter shut down') });
      return;
    }
    this.queuedSpans.push(...spans);
    this.dropExcess();
    resultCallback({ code: 0 });
    this.pump(false);
  }

  /** Sends what waits now, ignoring any backoff (the page is being hidden or closed). */
  sendNow(): void {
    this.pump(true);
  }

  /** Resolves once the queue is empty or the collector failed (a retry is then scheduled). */
  async forceFlush(): Promise<void> {
    this.pump(true);
    while (this.inFlight.size > 0) {
      await Promise.all(Array.from(this.inFlight));
      if (this.retryTimer !== undefined || this.queuedSpans.length === 0) return;
      this.pump(true);
    }
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
    this.shutDown = true;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private dropExcess(): void {
    const excess = this.queuedSpans.length - this.queueOptions.maxPending;
    if (excess > 0) {
      this.queuedSpans.splice(0, excess);
      this.failedHead = Math.max(0, this.failedHead - excess);
      this.stats.spansDropped += excess;
    }
    this.stats.spansPending = this.queuedSpans.length;
  }

  private pump(urgent: boolean): void {
    // One request at a time; a page going away may add one more so a slow request cannot hold back its last spans.
    if (this.inFlight.size >= (urgent ? 2 : 1) || this.queuedSpans.length === 0 || this.shutDown) return;
    if (this.retryTimer !== undefined) {
      if (!urgent) return;
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    const batch = this.queuedSpans.splice(0, this.queueOptions.maxBatch);
    const retried = Math.min(this.failedHead, batch.length);
    this.failedHead -= retried;
    if (retried > 0) this.stats.exportRetries++;
    this.stats.spansPending = this.queuedSpans.length;
    const sending: Promise<void> = this.sendBatch(batch, urgent).finally(() => {
      this.inFlight.delete(sending);
      if (this.retryTimer === undefined) this.pump(false);
    });
    this.inFlight.add(sending);
  }

  private async sendBatch(batch: ReadableSpan[], urgent: boolean): Promise<void> {
    let outcome: SendOutcome;
    try {
      const body = this.toBody(batch);
      outcome = body === undefined ? { kind: 'drop', reason: 'nothing to serialize' } : await this.queueOptions.send(body, urgent);
    } catch (error) {
      outcome = { kind: 'drop', reason: String(error) };
    }
    if (outcome.kind === 'ok') {
      this.stats.spansExported += batch.length;
      this.backoffMs = this.queueOptions.initialBackoffMs ?? 1000;
      return;
    }
    this.stats.exportFailures++;
    if (outcome.kind === 'drop') {
      this.stats.spansDropped += batch.length;
      log.debug(`export dropped ${batch.length} spans: ${outcome.reason}`);
      return;
    }
    // Back to the head, in order; they were never delivered, so resending cannot duplicate them.
    this.queuedSpans.unshift(...batch);
    this.failedHead += batch.length;
    this.dropExcess();
    const jitter = 0.8 + Math.random() * 0.4;
    const delay = outcome.afterMs !== undefined ? Math.max(outcome.afterMs, 0) : this.backoffMs * jitter;
    this.backoffMs = Math.min(this.backoffMs * 2, this.queueOptions.maxBackoffMs ?? 60_000);
    log.debug(`export failed (${outcome.reason}); ${this.queuedSpans.length} spans kept, retry in ${Math.round(delay)} ms`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.pump(false);
    }, delay);
  }
}
