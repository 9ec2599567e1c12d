import type { PanelEvent } from '../../bridge/adapter';
import type { ChunkSeries, OtlpResourceSpans, OtlpSpan } from '../../bridge/otlp-types';
import type { TraceListItem } from '../../bridge/trace-listing';
import { mergeChunks } from './chunks';
import type { MessageRow, TraceData } from './messages';
import { listedRow, messageRow } from './messages';
import { spanRecordsFrom } from './span-record';
import { sameSpan } from './same-span';

export interface TraceEntry extends TraceData {
  /** Bumped on every change: views cache per-trace work by it. */
  version: number;
  order: number;
  /** The source's row for a trace listed without its spans; spans supersede it once all are held. */
  listing?: TraceListItem;
}

export interface PanelStore {
  ingest(event: PanelEvent): void;
  addSpans(resourceSpans: OtlpResourceSpans[]): void;
  addChunks(series: ChunkSeries): void;
  /** Traces listed without spans (oldest first). */
  addListing(traces: TraceListItem[]): void;
  clear(): void;
  get(traceId: string): TraceEntry | undefined;
  rows(): MessageRow[];
  readonly size: number;
  /** Traces dropped to stay within the bound since the last clear. */
  readonly dropped: number;
  readonly version: number;
  subscribe(listener: () => void): () => void;
}

export interface PanelStoreOptions {
  /** Traces kept; the oldest (first seen) are dropped beyond this. Protects panel memory. */
  maxTraces?: number;
}

export function createPanelStore(options: PanelStoreOptions = {}): PanelStore {
  const maxTraces = options.maxTraces ?? 500;
  const traces = new Map<string, TraceEntry>();
  const rowCache = new Map<string, { version: number; row: MessageRow }>();
  const listeners = new Set<() => void>();
  let dropped = 0;
  let version = 0;
  let order = 0;

  const entry = (traceId: string): TraceEntry => {
    let found = traces.get(traceId);
    if (!found) {
      found = { traceId, spans: new Map(), chunks: new Map(), version: 0, order: (order += 1) };
      traces.set(traceId, found);
      // Map iteration order is insertion order: the first keys are the oldest traces.
      while (traces.size > maxTraces) {
        const oldest = traces.keys().next().value as string;
        traces.delete(oldest);
        rowCache.delete(oldest);
        dropped += 1;
      }
    }
    return found;
  };

  const changed = (): void => {
    version += 1;
    for (const listener of [...listeners]) listener();
  };

  // Repeats of spans already held change nothing: no new version, so views keep their derived
  // trees and the panel does not re-render for a backend poll that found nothing new.
  const held = (span: OtlpSpan): boolean => {
    const previous = traces.get(span.traceId.toLowerCase())?.spans.get(span.spanId.toLowerCase());
    return previous !== undefined && sameSpan(previous.raw.span, span);
  };

  const addSpans = (resourceSpans: OtlpResourceSpans[]): void => {
    const records = spanRecordsFrom(resourceSpans, held);
    if (!records.length) return;
    for (const record of records) {
      const trace = entry(record.traceId);
      trace.spans.set(record.spanId, record);
      trace.version += 1;
    }
    changed();
  };

  const addChunks = (series: ChunkSeries): void => {
    const trace = entry(series.traceId.toLowerCase());
    trace.chunks.set(series.spanId.toLowerCase(), mergeChunks(trace.chunks.get(series.spanId.toLowerCase()), series.chunks));
    trace.version += 1;
    changed();
  };

  const addListing = (listed: TraceListItem[]): void => {
    if (!listed.length) return;
    for (const item of listed) {
      const trace = entry(item.traceId);
      trace.listing = item;
      trace.version += 1;
    }
    changed();
  };

  // A trace listed with N spans reads from its row until the store holds N of them (a few live
  // spans of an older trace would otherwise make a wrong row); a trace without a listing, from its spans.
  const rowOf = (trace: TraceEntry): MessageRow =>
    trace.listing && trace.spans.size < trace.listing.spanCount ? listedRow(trace.listing, trace) : messageRow(trace);

  return {
    ingest(event) {
      if (event.type === 'spans') addSpans(event.resourceSpans);
      else if (event.type === 'chunks') addChunks(event.series);
      else if (event.type === 'listed') addListing(event.traces);
    },
    addSpans,
    addChunks,
    addListing,
    clear() {
      traces.clear();
      rowCache.clear();
      dropped = 0;
      changed();
    },
    get: (traceId) => traces.get(traceId),
    rows() {
      const out: MessageRow[] = [];
      for (const trace of traces.values()) {
        const cached = rowCache.get(trace.traceId);
        if (cached && cached.version === trace.version) out.push(cached.row);
        else {
          const row = rowOf(trace);
          rowCache.set(trace.traceId, { version: trace.version, row });
          out.push(row);
        }
      }
      return out;
    },
    get size() {
      return traces.size;
    },
    get dropped() {
      return dropped;
    },
    get version() {
      return version;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
