import { LAYERS } from './message-facts.js';
import { percentiles } from './percentile.js';
import type { LayerName, MessageFacts } from './message-facts.js';
import type { Percentiles } from './percentile.js';

export interface Responsible {
  /** A layer name (`retrieval`, `model`, `gateway`, `transport`, `render`) or, for an error, `service/span name`. */
  layer: string;
  reason: 'error' | 'largest';
  /** The layer's share of the time to first token (reason `largest`). */
  ms?: number;
}

export interface SlowMessage {
  traceId: string;
  messageId: string | null;
  ttftVisibleMs: number | null;
  durationMs: number;
  outcome: string | null;
  responsible: Responsible | null;
}

export interface LayerErrors {
  layer: string;
  service: string;
  spanName: string;
  count: number;
  /** Share of all messages in the window whose first error is in this layer. */
  rate: number;
}

export interface Dashboard {
  windowSeconds: number;
  messages: number;
  ttftVisibleMs: Percentiles;
  layers: Record<LayerName, Percentiles>;
  errors: { failedMessages: number; rate: number; byLayer: LayerErrors[] };
  outcomes: Record<string, number>;
  slowest: SlowMessage[];
  /** Failed messages, newest first: a failure rarely ranks among the slowest. */
  recentFailures: SlowMessage[];
}

/** First error wins; otherwise the layer that took the most of the time to first token. */
export function responsibleLayer(message: MessageFacts): Responsible | null {
  if (message.firstError) return { layer: message.firstError.layer, reason: 'error' };
  let best: Responsible | null = null;
  for (const layer of LAYERS) {
    const ms = message.layers[layer];
    if (ms !== undefined && (best === null || ms > (best.ms ?? 0))) best = { layer, reason: 'largest', ms };
  }
  return best;
}

function ratio(count: number, total: number): number {
  return total === 0 ? 0 : count / total;
}

/** The dev dashboard over a set of messages: TTFT percentiles overall and per layer, errors by layer, slowest messages. */
export function buildDashboard(messages: readonly MessageFacts[], options: { windowSeconds: number; slowest: number }): Dashboard {
  const layers = Object.fromEntries(
    LAYERS.map((layer) => [layer, percentiles(messages.flatMap((m) => (m.layers[layer] === undefined ? [] : [m.layers[layer] as number])))]),
  ) as Record<LayerName, Percentiles>;

  const byLayer = new Map<string, LayerErrors>();
  const outcomes: Record<string, number> = {};
  let failed = 0;
  for (const message of messages) {
    if (message.outcome !== undefined) outcomes[message.outcome] = (outcomes[message.outcome] ?? 0) + 1;
    const origin = message.firstError;
    if (!origin) continue;
    failed++;
    const entry = byLayer.get(origin.layer) ?? { layer: origin.layer, service: origin.service, spanName: origin.spanName, count: 0, rate: 0 };
    entry.count++;
    byLayer.set(origin.layer, entry);
  }
  for (const entry of byLayer.values()) entry.rate = ratio(entry.count, messages.length);

  const summary = (m: MessageFacts): SlowMessage => ({
    traceId: m.traceId,
    messageId: m.messageId ?? null,
    ttftVisibleMs: m.ttftVisibleMs ?? null,
    durationMs: m.durationMs,
    outcome: m.outcome ?? null,
    responsible: responsibleLayer(m),
  });
  // Slowest first by visible TTFT; messages that never showed a token (errors) after them, by duration.
  const slowest = [...messages]
    .sort((a, b) => (b.ttftVisibleMs ?? -1) - (a.ttftVisibleMs ?? -1) || b.durationMs - a.durationMs)
    .slice(0, options.slowest)
    .map(summary);
  const recentFailures = messages
    .filter((m) => m.firstError !== undefined)
    .sort((a, b) => b.startMs - a.startMs)
    .slice(0, options.slowest)
    .map(summary);

  return {
    windowSeconds: options.windowSeconds,
    messages: messages.length,
    ttftVisibleMs: percentiles(messages.flatMap((m) => (m.ttftVisibleMs === undefined ? [] : [m.ttftVisibleMs]))),
    layers,
    errors: {
      failedMessages: failed,
      rate: ratio(failed, messages.length),
      byLayer: [...byLayer.values()].sort((a, b) => b.count - a.count || a.layer.localeCompare(b.layer)),
    },
    outcomes,
    slowest,
    recentFailures,
  };
}
