import type { Compression } from './export/fetch-sender.js';
import type { SamplingRuleSource } from './sampling/remote-rule.js';
import type { RedactAttribute } from './export/redaction.js';

export type StorageKind = 'session' | 'local' | 'memory';

/** Options of `init()`. */
export interface StreamtraceOptions {
  /** `service.name` of the resource. Default `'web'`. */
  serviceName?: string;
  /** OTLP/HTTP JSON traces endpoint, e.g. `http://localhost:4318/v1/traces`. Requests to it are never traced. */
  endpoint?: string;
  /** URLs (prefix strings or RegExps) that receive trace context. A same-origin relative URL matches when the page origin matches. */
  propagateTo?: (string | RegExp)[];
  /** Share of sessions traced, 0..1. The decision is per session (hash of the session id). Default 1. */
  sampleRate?: number;
  /**
   * A sampling rule served by your collector that overrides `sampleRate` for new messages until it
   * expires: `samplingRule: remoteSamplingRule(url)` from `@streamtrace/web/sampling-rule` (its own
   * entry, so apps without it do not bundle it; the script tag has it as `data-sampling-rule-url`).
   */
  samplingRule?: SamplingRuleSource;
  /** Sampled-out sessions still record their last messages in a bounded buffer and export those that failed or were slow (`streamtrace.sampling.kept_by`). Default true; false = sampled-out sessions record nothing. */
  keepUnsampled?: boolean;
  /** A sampled-out message is kept as `slow` when its time to first visible token exceeds this. Default 5000. */
  keepSlowMs?: number;
  /** Uncaught errors and unhandled rejections become `exception` events on the current message. Default true. */
  captureErrors?: boolean;
  /** Put streamed answer text (bounded) and feedback comments on spans. Default false. */
  captureContent?: boolean;
  /** Where the session id lives. `'local'` shares it across tabs. Default `'session'`. */
  sessionStorage?: StorageKind;
  /** A session rotates after this much inactivity. Default 30 min. */
  sessionInactivityMs?: number;
  /** A session rotates after this age. Default 4 h. */
  sessionMaxAgeMs?: number;
  /** A gap between chunks above this counts as a stall. Default 2000. */
  stallThresholdMs?: number;
  /** Most `chunk` span events kept per stream. Default 100. */
  maxChunkEvents?: number;
  /** Record web-vitals and long animation frames. Default true. */
  pageHealth?: boolean;
  /** Extra resource attributes. */
  resourceAttributes?: Record<string, string | number | boolean>;
  /** Extra headers for the OTLP export request. */
  exportHeaders?: Record<string, string>;
  /**
   * `gzip` from `@streamtrace/web/gzip`: export bodies gzip-compressed (`Content-Encoding: gzip`,
   * 11–13× fewer bytes per page, ~1 ms of main-thread CPU per 40 KiB). The collector's CORS must allow
   * `Content-Encoding`; if it refuses, the SDK sends uncompressed and reports it once. Default: none.
   */
  compression?: Compression;
  /** BatchSpanProcessor delay. Default 1000 ms. */
  scheduledDelayMillis?: number;
  /** Most spans kept while the collector is unreachable; beyond it the oldest are dropped (counted in `stats().spansDropped`). Default 2048. */
  maxQueueSize?: number;
  /** An export request without an answer after this long is abandoned and its spans dropped (never resent: the collector may have stored them). Default 30000. */
  exportTimeoutMillis?: number;
  /** Edits or removes span and span-event attributes before they leave the page (exporter and DevTools). Return `undefined` to remove. */
  redactAttribute?: RedactAttribute;
  /** Instrument `fetch`, `EventSource`, `WebSocket`, `XMLHttpRequest`. Default true for each. */
  instrument?: { fetch?: boolean; eventSource?: boolean; webSocket?: boolean; xhr?: boolean };
}

export interface ResolvedConfig {
  serviceName: string;
  endpoint: string;
  propagateTo: (string | RegExp)[];
  sampleRate: number;
  samplingRule: SamplingRuleSource | undefined;
  keepUnsampled: boolean;
  keepSlowMs: number;
  captureErrors: boolean;
  captureContent: boolean;
  storage: StorageKind;
  sessionInactivityMs: number;
  sessionMaxAgeMs: number;
  stallThresholdMs: number;
  maxChunkEvents: number;
  pageHealth: boolean;
  resourceAttributes: Record<string, string | number | boolean>;
  exportHeaders: Record<string, string>;
  compression: Compression | undefined;
  scheduledDelayMillis: number;
  maxQueueSize: number;
  exportTimeoutMillis: number;
  redactAttribute: RedactAttribute | undefined;
  instrument: { fetch: boolean; eventSource: boolean; webSocket: boolean; xhr: boolean };
}

function finite(value: unknown, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  // Number.isFinite is false for anything but a finite number.
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value as number)) : fallback;
}

export function resolveConfig(options: StreamtraceOptions = {}): ResolvedConfig {
  const instrument = options.instrument ?? {};
  return {
    serviceName: options.serviceName || 'web',
    endpoint: options.endpoint || 'http://localhost:4318/v1/traces',
    propagateTo: Array.isArray(options.propagateTo) ? options.propagateTo.slice() : [],
    sampleRate: finite(options.sampleRate, 1, 0, 1),
    samplingRule: typeof options.samplingRule === 'function' ? options.samplingRule : undefined,
    keepUnsampled: options.keepUnsampled !== false,
    keepSlowMs: finite(options.keepSlowMs, 5000, 0),
    captureErrors: options.captureErrors !== false,
    captureContent: options.captureContent === true,
    storage: options.sessionStorage === 'local' || options.sessionStorage === 'memory' ? options.sessionStorage : 'session',
    sessionInactivityMs: finite(options.sessionInactivityMs, 30 * 60_000, 1),
    sessionMaxAgeMs: finite(options.sessionMaxAgeMs, 4 * 3_600_000, 1),
    stallThresholdMs: finite(options.stallThresholdMs, 2000, 1),
    maxChunkEvents: Math.round(finite(options.maxChunkEvents, 100, 0, 1000)),
    pageHealth: options.pageHealth !== false,
    resourceAttributes: { ...options.resourceAttributes },
    exportHeaders: { ...options.exportHeaders },
    compression: typeof options.compression === 'function' ? options.compression : undefined,
    scheduledDelayMillis: finite(options.scheduledDelayMillis, 1000, 0, 60_000),
    maxQueueSize: Math.round(finite(options.maxQueueSize, 2048, 1, 100_000)),
    exportTimeoutMillis: finite(options.exportTimeoutMillis, 30_000, 100, 600_000),
    redactAttribute: typeof options.redactAttribute === 'function' ? options.redactAttribute : undefined,
    instrument: {
      fetch: instrument.fetch !== false,
      eventSource: instrument.eventSource !== false,
      webSocket: instrument.webSocket !== false,
      xhr: instrument.xhr !== false,
    },
  };
}
