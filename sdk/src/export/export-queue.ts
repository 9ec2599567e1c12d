import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { encodeOtlpJson } from './otlp-json.js';
import { log } from '../diag.js';

const MAX_BACKOFF_MS = 60_000;

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

/**
 * Sends one serialized OTLP request; `leaving`: sent at once by `sendNow` (the page is being hidden
 * or closed, or came back online). `leave`, if present, runs first in `sendNow`: a sender that is
 * still preparing a request (compressing it) must put it on the wire now, or it may never be sent.
 */
export type Send = ((body: Uint8Array, leaving: boolean) => Promise<SendOutcome>) & { leave?: () => void };

export interface ExportQueueOptions {
  send: Send;
  /** Most spans held while the collector is unreachable; the oldest are dropped beyond it. */
  maxPending: number;
  /** Spans per request. */
  maxBatch: number;
  /** First retry delay; doubles per failure up to `MAX_BACKOFF_MS`. */
  initialBackoffMs?: number;
  serialize?: (spans: ReadableSpan[]) => Uint8Array;
}

/** The export queue as the batch processor and the SDK use it. */
export interface ExportQueue {
  readonly stats: ExportStats;
  /** Takes ended spans (at once: the page never waits on the collector); ignored after shutdown. */
  export(spans: ReadableSpan[]): void;
  /** Sends what waits now, ignoring any backoff (the page is being hidden or closed). */
  sendNow(): void;
  /** Resolves once the queue is empty or the collector failed (a retry is then scheduled). */
  forceFlush(): Promise<void>;
  /** Flushes, then takes nothing more. */
  shutdown(): Promise<void>;
}

/**
 * A bounded, at-most-once-per-success export queue behind the batch processor: spans are
 * accepted at once (the page never waits on the collector), sent one request at a time, kept and
 * retried with exponential backoff (or `Retry-After`) while the collector is unreachable, and
 * dropped — oldest first, counted — when more than `maxPending` wait.
 */
export function createExportQueue(options: ExportQueueOptions): ExportQueue {
  const stats: ExportStats = { spansExported: 0, spansDropped: 0, spansPending: 0, exportFailures: 0, exportRetries: 0 };
  const initialBackoffMs = options.initialBackoffMs ?? 1000;
  const toBody = options.serialize ?? encodeOtlpJson;
  const queued: ReadableSpan[] = [];
  /** How many spans at the head of `queued` have failed before (their next send is a retry). */
  let failedHead = 0;
  const inFlight = new Set<Promise<void>>();
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let backoffMs = initialBackoffMs;
  let shutDown = false;

  const dropExcess = (): void => {
    const excess = queued.length - options.maxPending;
    if (excess > 0) {
      queued.splice(0, excess);
      failedHead = Math.max(0, failedHead - excess);
      stats.spansDropped += excess;
    }
    stats.spansPending = queued.length;
  };

  const pump = (urgent: boolean, leaving = false): void => {
    // One request at a time; a page going away may add one more so a slow request cannot hold back its last spans.
    if (inFlight.size >= (urgent ? 2 : 1) || queued.length === 0 || shutDown) return;
    if (retryTimer !== undefined) {
      if (!urgent) return;
      clearTimeout(retryTimer);
      retryTimer = undefined;
    }
    const batch = queued.splice(0, options.maxBatch);
    const retried = Math.min(failedHead, batch.length);
    failedHead -= retried;
    if (retried > 0) stats.exportRetries++;
    stats.spansPending = queued.length;
    const sending: Promise<void> = sendBatch(batch, leaving).finally(() => {
      inFlight.delete(sending);
      if (retryTimer === undefined) pump(false);
    });
    inFlight.add(sending);
  };

  const sendBatch = async (batch: ReadableSpan[], leaving: boolean): Promise<void> => {
    let outcome: SendOutcome;
    try {
      outcome = await options.send(toBody(batch), leaving);
    } catch (error) {
      outcome = { kind: 'drop', reason: String(error) };
    }
    if (outcome.kind === 'ok') {
      stats.spansExported += batch.length;
      backoffMs = initialBackoffMs;
      return;
    }
    stats.exportFailures++;
    if (outcome.kind === 'drop') {
      stats.spansDropped += batch.length;
      log.debug(`export dropped ${batch.length} spans: ${outcome.reason}`);
      return;
    }
    // Back to the head, in order; they were never delivered, so resending cannot duplicate them.
    queued.unshift(...batch);
    failedHead += batch.length;
    dropExcess();
    const jitter = 0.8 + Math.random() * 0.4;
    const delay = outcome.afterMs !== undefined ? Math.max(outcome.afterMs, 0) : backoffMs * jitter;
    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    log.debug(`export failed (${outcome.reason}); ${queued.length} spans kept, retry in ${Math.round(delay)} ms`);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      pump(false);
    }, delay);
  };

  const forceFlush = async (): Promise<void> => {
    pump(true);
    while (inFlight.size > 0) {
      await Promise.all(Array.from(inFlight));
      if (retryTimer !== undefined || queued.length === 0) return;
      pump(true);
    }
  };

  return {
    stats,
    export(spans) {
      if (shutDown) return;
      queued.push(...spans);
      dropExcess();
      pump(false);
    },
    sendNow: () => {
      options.send.leave?.();
      pump(true, true);
    },
    forceFlush,
    async shutdown() {
      await forceFlush();
      shutDown = true;
      clearTimeout(retryTimer);
      retryTimer = undefined;
    },
  };
}
