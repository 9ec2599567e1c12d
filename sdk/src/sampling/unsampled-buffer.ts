import { TraceFlags, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { safe } from '../diag.js';
import { KEPT_BY, keepDecision, type KeptBy } from './keep-decision.js';

export interface UnsampledBufferOptions {
  keepSlowMs: number;
  /** Receives the spans of a kept trace (already redacted), marked with `streamtrace.sampling.kept_by`. */
  sink(spans: ReadableSpan[]): void;
}

export interface UnsampledStats {
  /** Sampled-out traces exported because they failed or were slow. */
  tracesKept: number;
  /** Sampled-out traces that ended fine and were thrown away (never sent). */
  tracesDiscarded: number;
  /** Buffered traces pushed out by the bounds before they ended. */
  tracesEvicted: number;
}

interface Pending {
  spans: ReadableSpan[];
  bytes: number;
}

/** Traces (messages) buffered at once; the oldest is discarded beyond it. */
export const MAX_TRACES = 20;
/** Estimated bytes held across all traces. */
export const MAX_BYTES = 256 * 1024;
/** Spans kept per trace; later ones are discarded. */
const MAX_SPANS_PER_TRACE = 64;
/** Decisions remembered for spans of a trace that end after its root (e.g. `chat.feedback`). */
const MAX_DECIDED = 200;

/** Rough size of a span as OTLP JSON; only used to bound memory. */
export function estimateBytes(span: ReadableSpan): number {
  let bytes = 200 + span.name.length;
  const add = (attributes: Record<string, unknown>): void => {
    for (const key in attributes) {
      const value = attributes[key];
      bytes += key.length + 24 + (typeof value === 'string' ? value.length : Array.isArray(value) ? value.length * 16 : 8);
    }
  };
  add(span.attributes);
  for (const event of span.events) {
    bytes += 48 + event.name.length;
    if (event.attributes) add(event.attributes);
  }
  return bytes + span.links.length * 96;
}

export function isSampled(span: ReadableSpan): boolean {
  return (span.spanContext().traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
}

/**
 * The ended span with one more attribute (ended spans are read-only): a view that reads everything
 * else, `spanContext()` included, from the span itself.
 */
export function markKept(span: ReadableSpan, keptBy: KeptBy): ReadableSpan {
  return Object.create(span, { attributes: { value: { ...span.attributes, [KEPT_BY]: keptBy }, enumerable: true } }) as ReadableSpan;
}

/**
 * Holds the recorded-but-unsampled spans of sampled-out sessions per trace, bounded by traces,
 * spans per trace and bytes; when a trace's local root ends, exports the whole trace if it failed
 * or was slow (see `keepDecision`), else forgets it. Sampled spans pass by untouched.
 */
export class UnsampledBuffer implements SpanProcessor {
  readonly stats: UnsampledStats = { tracesKept: 0, tracesDiscarded: 0, tracesEvicted: 0 };
  private readonly pendingTraces = new Map<string, Pending>();
  private readonly decided = new Map<string, KeptBy | false>();
  private heldSize = 0;

  private declare readonly bufferOptions: UnsampledBufferOptions;

  constructor(options: UnsampledBufferOptions) {
    this.bufferOptions = options;
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (isSampled(span)) return;
    safe('unsampled buffer', () => this.takeSpan(span));
  }

  private takeSpan(span: ReadableSpan): void {
    const traceId = span.spanContext().traceId;
    const decided = this.decided.get(traceId);
    if (decided !== undefined) {
      if (decided !== false) this.bufferOptions.sink([markKept(span, decided)]);
      return;
    }
    let entry = this.pendingTraces.get(traceId);
    if (entry === undefined) {
      entry = { spans: [], bytes: 0 };
      this.pendingTraces.set(traceId, entry);
      while (this.pendingTraces.size > MAX_TRACES) this.evictOldest();
    }
    const size = estimateBytes(span);
    if (entry.spans.length < MAX_SPANS_PER_TRACE) {
      while (this.heldSize + size > MAX_BYTES && this.pendingTraces.size > 1 && this.evictOldest(traceId));
      if (this.heldSize + size <= MAX_BYTES) {
        entry.spans.push(span);
        entry.bytes += size;
        this.heldSize += size;
      }
    }
    const isRoot = span.parentSpanContext === undefined || span.parentSpanContext.isRemote === true;
    if (isRoot) this.decide(traceId, span, entry);
  }

  private decide(traceId: string, root: ReadableSpan, entry: Pending): void {
    this.pendingTraces.delete(traceId);
    this.heldSize -= entry.bytes;
    const keptBy = keepDecision(root, entry.spans, this.bufferOptions.keepSlowMs);
    this.decided.set(traceId, keptBy ?? false);
    if (this.decided.size > MAX_DECIDED) this.decided.delete(this.decided.keys().next().value as string);
    if (keptBy === undefined) {
      this.stats.tracesDiscarded++;
      return;
    }
    this.stats.tracesKept++;
    this.bufferOptions.sink(entry.spans.map((s) => markKept(s, keptBy)));
  }

  /** Drops the oldest buffered trace other than `except`; false when there is none. */
  private evictOldest(except?: string): boolean {
    for (const [traceId, entry] of this.pendingTraces) {
      if (traceId === except) continue;
      this.pendingTraces.delete(traceId);
      this.heldSize -= entry.bytes;
      this.stats.tracesEvicted++;
      return true;
    }
    return false;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.pendingTraces.clear();
    this.decided.clear();
    this.heldSize = 0;
    return Promise.resolve();
  }
}
