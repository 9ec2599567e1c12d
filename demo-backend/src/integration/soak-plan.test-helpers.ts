// The soak's request mix: a seeded, reproducible list of what each client does.
import type { Fault } from '../shared/faults.js';

export type Transport = 'fetch' | 'eventsource' | 'websocket';
export type Outcome = 'complete' | 'cancel' | 'error';

/**
 * When the client goes away: `headers` right after the response headers (SSE only), otherwise
 * after receiving `afterDeltas` delta events (0 = right after `start`).
 */
export type Disconnect = { at: 'headers' } | { at: 'deltas'; afterDeltas: number; how: 'abort' | 'cancel-body' | 'close' | 'terminate' };

export interface PlannedRequest {
  index: number;
  transport: Transport;
  fault?: Fault;
  disconnect?: Disconnect;
  /** WebSocket only: context in the upgrade URL's query, or in the first frame. */
  wsContext?: 'query' | 'frame';
  message: string;
  traceId: string;
  parentSpanId: string;
  traceparent: string;
  expected: { outcome: Outcome; errorType?: string };
}

/** mulberry32: small, fast, good enough for picking a test mix. */
export function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MESSAGES = [
  'What is time to first token?',
  'How do EventSource clients reconnect?',
  'Why can WebSockets not carry custom headers?',
  'What is backpressure in a streaming response?',
  'Explain server-sent events in detail',
  'How does vector search rank passages?',
  'What does a stalled stream look like in a trace?',
  'Why do spans need a terminal outcome?',
];

function hex(random: () => number, bytes: number): string {
  let out = '';
  for (let i = 0; i < bytes; i++) out += Math.floor(random() * 256).toString(16).padStart(2, '0');
  // An all-zero id is invalid in W3C trace context; vanishingly unlikely, but never send one.
  return /^0+$/.test(out) ? `${out.slice(0, -1)}1` : out;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/**
 * Faults strike at fixed points: `model-error` before the first token, `midstream-error` ~5 tokens
 * (a few ms) after it, `stall` goes silent after 5 tokens until the gateway's token timeout,
 * `slow-retrieval` holds retrieval past the gateway's retrieval timeout. A disconnect is only
 * combined with a fault when it lands well inside a silent window (stall, slow retrieval), so
 * the expected outcome never depends on a race between the client and the fault.
 */
export function planRequests(count: number, seed: number): PlannedRequest[] {
  const random = seededRandom(seed);
  const plans: PlannedRequest[] = [];
  for (let index = 0; index < count; index++) {
    const roll = random();
    const transport: Transport = roll < 0.4 ? 'fetch' : roll < 0.7 ? 'eventsource' : 'websocket';
    const faultRoll = random();
    const fault: Fault | undefined =
      faultRoll < 0.5 ? undefined : faultRoll < 0.625 ? 'model-error' : faultRoll < 0.75 ? 'midstream-error' : faultRoll < 0.875 ? 'stall' : 'slow-retrieval';
    const disconnects = (fault === undefined || fault === 'stall' || fault === 'slow-retrieval') && random() < 0.45;
    let disconnect: Disconnect | undefined;
    if (disconnects) {
      const hows = transport === 'websocket' ? (['close', 'terminate'] as const) : (['abort', 'cancel-body'] as const);
      const maxDeltas = fault === undefined ? 8 : fault === 'stall' ? 5 : 0;
      if (transport !== 'websocket' && random() < 0.15) disconnect = { at: 'headers' };
      else disconnect = { at: 'deltas', afterDeltas: Math.floor(random() * (maxDeltas + 1)), how: pick(random, hows) };
    }
    const traceId = hex(random, 16);
    const parentSpanId = hex(random, 8);
    plans.push({
      index,
      transport,
      ...(fault ? { fault } : {}),
      ...(disconnect ? { disconnect } : {}),
      ...(transport === 'websocket' ? { wsContext: random() < 0.5 ? ('query' as const) : ('frame' as const) } : {}),
      message: `${pick(random, MESSAGES)} (#${index})`,
      traceId,
      parentSpanId,
      traceparent: `00-${traceId}-${parentSpanId}-01`,
      expected: expectedOutcome(fault, disconnect),
    });
  }
  return plans;
}

function expectedOutcome(fault: Fault | undefined, disconnect: Disconnect | undefined): PlannedRequest['expected'] {
  if (disconnect) return { outcome: 'cancel' };
  switch (fault) {
    case undefined:
      return { outcome: 'complete' };
    case 'model-error':
      return { outcome: 'error', errorType: 'model_error' };
    case 'midstream-error':
      return { outcome: 'error', errorType: 'midstream_error' };
    case 'stall':
    case 'slow-retrieval':
      return { outcome: 'error', errorType: 'timeout' };
  }
}
