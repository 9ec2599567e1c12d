import type { ChunkPoint } from '../../bridge/otlp-types';
import type { SpanRecord } from './span-record';
import { numberAttr } from './span-record';
import { findRoles } from './trace-roles';
import type { TraceRoles } from './trace-roles';

export type BreakdownKey = 'client' | 'network' | 'retrieval' | 'model' | 'transport' | 'render' | 'backend' | 'unattributed';

export interface BreakdownPart {
  key: BreakdownKey;
  label: string;
  ms: number;
}

export interface Breakdown {
  /** Time to first visible token, from message start. The parts always sum to it. */
  totalMs: number;
  parts: BreakdownPart[];
  largest?: BreakdownPart;
  /** Browser minus server clock, when the spans prove the clocks disagree. */
  clockSkewMs?: number;
  notes: string[];
  /** All backend parts were found (otherwise network and backend are one part). */
  complete: boolean;
}

export const PART_LABELS: Record<BreakdownKey, string> = {
  client: 'client',
  network: 'network / gateway',
  retrieval: 'retrieval',
  model: 'model first token',
  transport: 'transport',
  render: 'render',
  backend: 'network + backend',
  unattributed: 'unattributed',
};

/** A point on the way to the first visible token; the part ending at it gets the time since the previous one. */
interface Boundary {
  at: number | undefined;
  key: BreakdownKey;
}

/**
 * Splits the user-perceived time to first visible token into where it went, as an exact partition:
 * monotonic boundaries (message start → stream open → gateway entry → retrieval → model first
 * chunk → arrival of the first chunk that changed the DOM → first paint), each clamped to lie
 * between the previous one and the end, so the parts always sum to the total. Server boundaries
 * are moved onto the browser clock; when the two network legs disagree in sign the clocks are
 * skewed, and the server times are shifted so both legs are equal (the skew is reported).
 */
export function ttftBreakdown(spans: SpanRecord[], series?: ChunkPoint[], roles: TraceRoles = findRoles(spans)): Breakdown | undefined {
  const { message, stream, gatewayServer, retrieval, chat, gatewayStream } = roles;
  if (!message || !stream) return undefined;
  const notes: string[] = [];

  const visibleArrival = firstVisibleArrival(stream, series, notes);
  const paints = series?.map((chunk) => chunk.paintMs).filter((value): value is number => value !== undefined) ?? [];
  const firstPaint = paints.length ? Math.min(...paints) : addMs(stream.startMs, numberAttr(stream, 'streamtrace.chunk.first_paint_ms'));
  const visible = numberAttr(message, 'streamtrace.ttft_visible_ms');
  // Nothing was ever shown (e.g. the model failed before its first token): there is no time to
  // first visible token to split; the chunks that did arrive carried no text.
  if (visible === undefined && firstPaint === undefined) return undefined;
  if (visibleArrival === undefined) {
    return visible === undefined ? undefined : { totalMs: Math.max(0, visible), parts: [], notes: ['no chunk arrived'], complete: false };
  }
  if (firstPaint === undefined) notes.push('no paint time recorded; render counted up to the time to first visible token');
  const endAt = visible !== undefined ? message.startMs + visible : (firstPaint ?? visibleArrival);
  const totalMs = Math.max(0, endAt - message.startMs);

  const boundaries: Boundary[] = [{ at: stream.startMs, key: 'client' }];
  let skew: number | undefined;
  const ttfcMs = chat ? (numberAttr(chat, 'gen_ai.response.time_to_first_chunk') ?? 0) * 1000 : undefined;
  const modelFirstAt = chat && ttfcMs !== undefined ? chat.startMs + ttfcMs : undefined;
  const gatewayFirstDelta = firstDeltaTime(gatewayStream) ?? modelFirstAt;

  if (gatewayServer && gatewayFirstDelta !== undefined) {
    // Server times + shift = browser times. Zero while both network legs come out non-negative.
    const up = gatewayServer.startMs - stream.startMs;
    const down = visibleArrival - gatewayFirstDelta;
    let shift = 0;
    if (up < 0 || down < 0) {
      shift = (down - up) / 2;
      skew = shift;
      notes.push(`browser and server clocks differ by about ${Math.round(Math.abs(skew))} ms; network legs split evenly`);
    }
    const server = (at: number | undefined): number | undefined => (at === undefined ? undefined : at + shift);
    boundaries.push({ at: server(gatewayServer.startMs), key: 'network' });
    if (retrieval) {
      boundaries.push({ at: server(retrieval.startMs), key: 'network' });
      boundaries.push({ at: server(retrieval.endMs), key: 'retrieval' });
    } else notes.push('no retrieval span');
    if (chat && ttfcMs !== undefined) {
      boundaries.push({ at: server(chat.startMs), key: 'network' });
      boundaries.push({ at: server(modelFirstAt), key: 'model' });
    } else notes.push('no model span with gen_ai.response.time_to_first_chunk');
    boundaries.push({ at: visibleArrival, key: 'transport' });
  } else {
    notes.push(gatewayServer ? 'no first token time from the backend: network and backend shown as one part' : 'backend spans not found: network and backend shown as one part');
    boundaries.push({ at: visibleArrival, key: 'backend' });
  }
  boundaries.push({ at: firstPaint ?? endAt, key: 'render' });
  boundaries.push({ at: endAt, key: 'unattributed' });

  const parts = partition(message.startMs, endAt, boundaries);
  const unattributed = parts.find((p) => p.key === 'unattributed');
  const render = parts.find((p) => p.key === 'render');
  // Sub-millisecond rounding between the paint and the recorded total belongs to render.
  if (unattributed && render && unattributed.ms < 0.5) render.ms += unattributed.ms;
  else if (unattributed && unattributed.ms >= 0.5) notes.push(`${formatGap(unattributed.ms)} between first paint and the recorded time to first visible token`);
  const shown = parts.filter((p) => p.key !== 'unattributed' || p.ms >= 0.5);
  const largest = shown.reduce<BreakdownPart | undefined>((best, p) => (!best || p.ms > best.ms ? p : best), undefined);
  return {
    totalMs,
    parts: shown,
    ...(largest ? { largest } : {}),
    ...(skew !== undefined ? { clockSkewMs: skew } : {}),
    notes,
    complete: Boolean(gatewayServer && retrieval && chat),
  };
}

/** Clamps every boundary into [previous, end] and sums the gaps per key (in first-seen order). */
function partition(startAt: number, endAt: number, boundaries: Boundary[]): BreakdownPart[] {
  const sums = new Map<BreakdownKey, number>();
  let previous = startAt;
  for (const boundary of boundaries) {
    if (boundary.at === undefined) continue;
    const at = Math.min(endAt, Math.max(previous, boundary.at));
    sums.set(boundary.key, (sums.get(boundary.key) ?? 0) + (at - previous));
    previous = at;
  }
  return [...sums].map(([key, ms]) => ({ key, label: PART_LABELS[key], ms }));
}

/**
 * When the chunk that first changed the DOM arrived. Chunks such as a stream's `start` metadata
 * event arrive early and render nothing, so the first arrival is only a fallback.
 */
function firstVisibleArrival(stream: SpanRecord, series: ChunkPoint[] | undefined, notes: string[]): number | undefined {
  const fromSpan = addMs(stream.startMs, numberAttr(stream, 'streamtrace.chunk.first_visible_arrival_ms'));
  if (fromSpan !== undefined) return fromSpan;
  const index = numberAttr(stream, 'streamtrace.chunk.first_visible_index');
  const indexed = index !== undefined ? series?.find((chunk) => chunk.index === index) : undefined;
  if (indexed) return indexed.arrivalMs;
  const first = series?.length
    ? Math.min(...series.map((chunk) => chunk.arrivalMs))
    : addMs(stream.startMs, numberAttr(stream, 'streamtrace.chunk.first_arrival_ms'));
  if (first !== undefined) notes.push('first visible chunk unknown (older SDK): render counted from the first chunk');
  return first;
}

const formatGap = (ms: number): string => `${Math.round(ms * 10) / 10} ms`;

function addMs(base: number, offset: number | undefined): number | undefined {
  return offset === undefined ? undefined : base + offset;
}

/** The gateway's first `stream.delta` event, else its stream span start + ttfb. */
function firstDeltaTime(gatewayStream: SpanRecord | undefined): number | undefined {
  if (!gatewayStream) return undefined;
  const deltas = gatewayStream.events.filter((event) => event.name === 'stream.delta');
  if (deltas.length) return Math.min(...deltas.map((event) => event.timeMs));
  return addMs(gatewayStream.startMs, numberAttr(gatewayStream, 'streamtrace.stream.ttfb_ms'));
}
