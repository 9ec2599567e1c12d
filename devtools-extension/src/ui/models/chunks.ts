import type { ChunkPoint } from '../../bridge/otlp-types';
import type { SpanRecord } from './span-record';
import { numberAttr, stringAttr } from './span-record';

export interface ChunkTimelinePoint {
  index: number;
  bytes: number;
  /** Milliseconds since the stream opened. */
  arrivalMs: number;
  paintMs?: number;
  renderLatencyMs?: number;
  /** Time since the previous chunk arrived. */
  gapMs: number;
  stall: boolean;
}

export interface ChunkTimeline {
  points: ChunkTimelinePoint[];
  /** Where the points came from: the SDK's full series or the sampled `chunk` span events. */
  source: 'series' | 'span-events' | 'none';
  streamStartMs: number;
  durationMs: number;
  maxGapMs: number;
  stalls: number;
  renderLatencyMaxMs?: number;
}

/** A gap longer than this between two chunks is a stall (the SDK's default stallThresholdMs). */
export const STALL_MS = 2000;

/** Merges chunk batches of one stream by index (later copies win), in index order. */
export function mergeChunks(existing: ChunkPoint[] | undefined, incoming: ChunkPoint[]): ChunkPoint[] {
  const byIndex = new Map<number, ChunkPoint>();
  for (const chunk of existing ?? []) byIndex.set(chunk.index, chunk);
  for (const chunk of incoming) byIndex.set(chunk.index, chunk);
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

/**
 * The chunk series of a `chat.stream` span: the SDK's `chunks` messages when present (every chunk,
 * epoch times), else the `chunk` span events (sampled; times relative to stream open).
 */
export function chunkTimeline(stream: SpanRecord | undefined, series: ChunkPoint[] | undefined, stallMs = STALL_MS): ChunkTimeline {
  const streamStartMs = stream?.startMs ?? series?.[0]?.arrivalMs ?? 0;
  let raw: { index: number; bytes: number; arrivalMs: number; paintMs?: number }[] = [];
  let source: ChunkTimeline['source'] = 'none';
  if (series?.length) {
    source = 'series';
    raw = series.map((chunk) => ({
      index: chunk.index,
      bytes: chunk.bytes,
      arrivalMs: chunk.arrivalMs - streamStartMs,
      ...(chunk.paintMs !== undefined ? { paintMs: chunk.paintMs - streamStartMs } : {}),
    }));
  } else if (stream) {
    const events = stream.events.filter((event) => event.name === 'chunk');
    if (events.length) {
      source = 'span-events';
      raw = events.map((event, i) => {
        const attr = (key: string): number | undefined => {
          const value = event.attributes[key];
          return typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : undefined;
        };
        const paint = attr('streamtrace.chunk.paint_ms');
        return {
          index: attr('streamtrace.chunk.index') ?? i,
          bytes: attr('streamtrace.chunk.bytes') ?? 0,
          arrivalMs: attr('streamtrace.chunk.arrival_ms') ?? event.timeMs - stream.startMs,
          ...(paint !== undefined ? { paintMs: paint } : {}),
        };
      });
      raw.sort((a, b) => a.index - b.index);
    }
  }
  const points: ChunkTimelinePoint[] = [];
  let maxGapMs = 0;
  let stalls = 0;
  let renderLatencyMaxMs: number | undefined;
  let previous: number | undefined;
  for (const chunk of raw) {
    const gapMs = previous === undefined ? 0 : Math.max(0, chunk.arrivalMs - previous);
    previous = chunk.arrivalMs;
    // Sampled span events skip chunks: a gap there is not a gap in the stream.
    const contiguous = source === 'series' || points.length === 0 || chunk.index === points[points.length - 1]!.index + 1;
    const stall = contiguous && points.length > 0 && gapMs > stallMs;
    if (contiguous) maxGapMs = Math.max(maxGapMs, gapMs);
    if (stall) stalls += 1;
    const renderLatencyMs = chunk.paintMs !== undefined ? Math.max(0, chunk.paintMs - chunk.arrivalMs) : undefined;
    if (renderLatencyMs !== undefined) renderLatencyMaxMs = Math.max(renderLatencyMaxMs ?? 0, renderLatencyMs);
    points.push({ index: chunk.index, bytes: chunk.bytes, arrivalMs: chunk.arrivalMs, ...(chunk.paintMs !== undefined ? { paintMs: chunk.paintMs } : {}), ...(renderLatencyMs !== undefined ? { renderLatencyMs } : {}), gapMs, stall });
  }
  const lastTime = Math.max(0, ...points.map((point) => point.paintMs ?? point.arrivalMs));
  const durationMs = Math.max(stream ? stream.endMs - stream.startMs : 0, lastTime);
  return {
    points,
    source,
    streamStartMs,
    durationMs,
    maxGapMs: source === 'span-events' ? Math.max(maxGapMs, numberAttr(stream, 'streamtrace.chunk.gap_ms.max') ?? 0) : maxGapMs,
    stalls: source === 'span-events' ? Math.max(stalls, numberAttr(stream, 'streamtrace.chunk.stalls') ?? 0) : stalls,
    ...(renderLatencyMaxMs !== undefined ? { renderLatencyMaxMs } : {}),
  };
}

/** The browser `chat.stream` spans of a trace (CLIENT spans carrying the stream transport). */
export function isBrowserStream(span: SpanRecord): boolean {
  return span.name === 'chat.stream' || (stringAttr(span, 'streamtrace.stream.transport') !== undefined && span.attributes['streamtrace.stream.chunks'] !== undefined);
}
