import type { ChunkPoint } from '../../bridge/otlp-types';
import type { SpanRecord } from './span-record';
import { numberAttr } from './span-record';
import { findRoles } from './trace-roles';

export type BreakdownKey = 'client' | 'network' | 'retrieval' | 'model' | 'transport' | 'render' | 'backend' | 'unattributed';

export interface BreakdownPart {
  key: BreakdownKey;
  label: string;
  ms: number;
}

export interface Breakdown {
  /** Time to first visible token, from message start. */
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

const part = (key: BreakdownKey, ms: number): BreakdownPart => ({ key, label: PART_LABELS[key], ms: Math.max(0, ms) });

/**
 * Splits the user-perceived time to first token into where it went. Durations inside one process
 * are exact; across processes (browser vs. servers) only the sum of the two network legs is
 * robust, so each leg is read directly only while both come out non-negative — otherwise the
 * clocks disagree, the legs are split evenly and the skew is reported.
 */
export function ttftBreakdown(spans: SpanRecord[], series?: ChunkPoint[]): Breakdown | undefined {
  const roles = findRoles(spans);
  const { message, stream, gatewayServer, retrieval, chat, gatewayStream } = roles;
  if (!message || !stream) return undefined;
  const notes: string[] = [];

  const firstArrival = series?.length
    ? Math.min(...series.map((chunk) => chunk.arrivalMs))
    : addMs(stream.startMs, numberAttr(stream, 'streamtrace.chunk.first_arrival_ms'));
  const paints = series?.map((chunk) => chunk.paintMs).filter((value): value is number => value !== undefined) ?? [];
  const firstPaint = paints.length ? Math.min(...paints) : addMs(stream.startMs, numberAttr(stream, 'streamtrace.chunk.first_paint_ms'));
  const visible = numberAttr(message, 'streamtrace.ttft_visible_ms');
  if (firstArrival === undefined) {
    return visible === undefined ? undefined : { totalMs: visible, parts: [], notes: ['no chunk arrived'], complete: false };
  }
  const paintAt = firstPaint ?? firstArrival;
  if (firstPaint === undefined) notes.push('no paint time recorded; render counted as 0');

  const parts: BreakdownPart[] = [part('client', stream.startMs - message.startMs)];
  let skew: number | undefined;
  const ttfcMs = chat ? (numberAttr(chat, 'gen_ai.response.time_to_first_chunk') ?? 0) * 1000 : undefined;
  const modelFirstAt = chat && ttfcMs !== undefined ? chat.startMs + ttfcMs : undefined;
  const gatewayFirstDelta = firstDeltaTime(gatewayStream) ?? modelFirstAt;

  if (gatewayServer && gatewayFirstDelta !== undefined) {
    // Gateway clock: time from receiving the request to sending the first delta.
    const serverSide = gatewayFirstDelta - gatewayServer.startMs;
    const networkLegs = firstArrival - stream.startMs - serverSide;
    let up = gatewayServer.startMs - stream.startMs;
    let down = firstArrival - gatewayFirstDelta;
    if (up < 0 || down < 0) {
      skew = (down - up) / 2;
      up = Math.max(0, networkLegs) / 2;
      down = up;
      notes.push(`browser and server clocks differ by about ${Math.round(Math.abs(skew))} ms; network legs split evenly`);
    }
    const workStart = retrieval?.startMs ?? chat?.startMs ?? gatewayFirstDelta;
    const gatewayBefore = workStart - gatewayServer.startMs;
    const between = retrieval && chat ? chat.startMs - retrieval.endMs : 0;
    parts.push(part('network', up + gatewayBefore + Math.max(0, between)));
    if (retrieval) parts.push(part('retrieval', retrieval.endMs - retrieval.startMs));
    else notes.push('no retrieval span');
    if (chat && ttfcMs !== undefined) parts.push(part('model', ttfcMs));
    else notes.push('no model span with gen_ai.response.time_to_first_chunk');
    const relay = modelFirstAt !== undefined ? gatewayFirstDelta - modelFirstAt : 0;
    parts.push(part('transport', Math.max(0, relay) + down));
  } else {
    notes.push('backend spans not found: network and backend shown as one part');
    parts.push(part('backend', firstArrival - stream.startMs));
  }
  parts.push(part('render', paintAt - firstArrival));

  const sum = parts.reduce((total, p) => total + p.ms, 0);
  const totalMs = visible ?? paintAt - message.startMs;
  if (totalMs - sum > 1) parts.push(part('unattributed', totalMs - sum));
  const largest = parts.reduce<BreakdownPart | undefined>((best, p) => (!best || p.ms > best.ms ? p : best), undefined);
  return {
    totalMs: Math.max(0, totalMs),
    parts,
    ...(largest ? { largest } : {}),
    ...(skew !== undefined ? { clockSkewMs: skew } : {}),
    notes,
    complete: Boolean(gatewayServer && retrieval && chat),
  };
}

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
