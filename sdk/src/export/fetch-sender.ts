import type { Send, SendOutcome } from './export-queue.js';
import { guard, log } from '../diag.js';
import { nativeOf } from '../streams/native.js';

/** Chromium refuses keepalive requests beyond 64 KiB of bodies in flight per page. */
const KEEPALIVE_BUDGET = 60 * 1024;
/** The most a `Retry-After` may postpone a retry. */
const MAX_RETRY_AFTER_MS = 5 * 60_000;

type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** What one request gave the queue; `timedOut`: sent, unanswered, maybe stored. */
export type Posted = SendOutcome & { timedOut?: boolean };
/** One OTLP/HTTP JSON request; `gzipped`: the body is gzip-compressed (`Content-Encoding: gzip`). */
export type Post = (body: Uint8Array, gzipped?: boolean) => Promise<Posted>;
/** Turns the plain request into the queue's sender (`gzip` from `@streamtrace/web/gzip` is one); `warn` reports to the SDK's diagnostics. */
export type Compression = (post: Post, warn: (message: string) => void) => Send;

/** The native fetch, not our wrapper: export requests are never traced. */
export function nativeFetch(): FetchLike {
  const native = nativeOf(globalThis.fetch);
  return (input, init) => native.call(globalThis, input, init);
}

export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : new Date(value).getTime() - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : undefined;
}

export interface FetchSenderOptions {
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  fetch?: FetchLike;
}

/**
 * OTLP/HTTP JSON over fetch. `keepalive` while the budget allows, so a request started on
 * `pagehide` outlives the page. Retryable (never delivered): network errors — connection refused,
 * offline, CORS refusal — and 429/502/503/504 (OTLP/HTTP spec). A timeout drops the batch: the
 * collector may have stored it, and resending could duplicate it.
 */
export function createFetchPost(options: FetchSenderOptions): Post {
  let keepaliveBytes = 0;
  const doFetch = options.fetch ?? nativeFetch();
  const headers = { ...options.headers, 'content-type': 'application/json' };
  // The page's CSP (`connect-src`) refuses the collector: every retry would only make the browser
  // log its refusal again. `blockedURI` is the URL, or only its origin after a redirect.
  let blocked = false;
  // (A report-only policy blocks nothing.)
  globalThis.addEventListener?.(
    'securitypolicyviolation',
    guard('csp', (event: SecurityPolicyViolationEvent) => {
      const uri = event.blockedURI;
      if (!blocked && uri && event.disposition === 'enforce' && options.url.startsWith(uri)) {
        blocked = true;
        log.warn(`CSP connect-src refuses ${uri}: spans dropped`);
      }
    }) as EventListener,
  );
  const refused: Posted = { kind: 'drop', reason: 'CSP' };
  return async (body, gzipped) => {
    if (blocked) return refused;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.timeoutMs);
    const keepalive = keepaliveBytes + body.byteLength <= KEEPALIVE_BUDGET;
    if (keepalive) keepaliveBytes += body.byteLength;
    try {
      const response = await doFetch(options.url, {
        method: 'POST',
        headers: gzipped ? { ...headers, 'content-encoding': 'gzip' } : headers,
        body: body as BodyInit,
        keepalive,
        signal: controller.signal,
        credentials: 'omit',
      });
      void response.body?.cancel().catch(() => undefined);
      const status = response.status;
      if (status >= 200 && status < 300) return { kind: 'ok' };
      if (status === 429 || status === 502 || status === 503 || status === 504) {
        return { kind: 'retry', afterMs: parseRetryAfter(response.headers.get('retry-after')), reason: `status ${status}` };
      }
      return { kind: 'drop', reason: `status ${status}` };
    } catch (error) {
      if (timedOut) return { kind: 'drop', reason: `no answer within ${options.timeoutMs} ms`, timedOut };
      // A CSP refusal's violation event comes in a task after the rejection: not retried either.
      await new Promise((resolve) => setTimeout(resolve));
      return blocked ? refused : { kind: 'retry', reason: `network error: ${String(error)}` };
    } finally {
      clearTimeout(timer);
      if (keepalive) keepaliveBytes -= body.byteLength;
    }
  };
}
