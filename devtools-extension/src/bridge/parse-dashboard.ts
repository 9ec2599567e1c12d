import type { DashboardSummary, ErrorLayer, Percentiles, SlowMessage } from './dashboard-types';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function percentiles(value: unknown): Percentiles {
  const v = isObject(value) ? value : {};
  return { count: num(v.count) ?? 0, p50: num(v.p50), p95: num(v.p95) };
}

function errorLayer(value: unknown): ErrorLayer | undefined {
  if (!isObject(value) || typeof value.layer !== 'string') return undefined;
  return { layer: value.layer, service: str(value.service) ?? '', spanName: str(value.spanName) ?? '', count: num(value.count) ?? 0, rate: num(value.rate) ?? 0 };
}

function slowMessage(value: unknown): SlowMessage | undefined {
  if (!isObject(value) || typeof value.traceId !== 'string' || !/^[0-9a-f]{32}$/.test(value.traceId)) return undefined;
  const responsible = isObject(value.responsible) && typeof value.responsible.layer === 'string'
    ? { layer: value.responsible.layer, reason: str(value.responsible.reason) ?? '', ...(num(value.responsible.ms) !== null ? { ms: num(value.responsible.ms)! } : {}) }
    : null;
  return {
    traceId: value.traceId,
    messageId: str(value.messageId),
    ttftVisibleMs: num(value.ttftVisibleMs),
    durationMs: num(value.durationMs),
    outcome: str(value.outcome),
    responsible,
  };
}

/** Reads an `/api/dashboard` answer defensively (the UI renders only what passed these checks). */
export function parseDashboard(body: unknown): DashboardSummary | undefined {
  if (!isObject(body) || num(body.messages) === null) return undefined;
  const layers: Record<string, Percentiles> = {};
  if (isObject(body.layers)) for (const [key, value] of Object.entries(body.layers)) layers[key] = percentiles(value);
  const errors = isObject(body.errors) ? body.errors : {};
  const outcomes: Record<string, number> = {};
  if (isObject(body.outcomes)) for (const [key, value] of Object.entries(body.outcomes)) if (num(value) !== null) outcomes[key] = value as number;
  return {
    windowSeconds: num(body.windowSeconds) ?? 0,
    messages: num(body.messages) ?? 0,
    ttftVisibleMs: percentiles(body.ttftVisibleMs),
    layers,
    errors: {
      failedMessages: num(errors.failedMessages) ?? 0,
      rate: num(errors.rate) ?? 0,
      byLayer: (Array.isArray(errors.byLayer) ? errors.byLayer : []).map(errorLayer).filter((v): v is ErrorLayer => v !== undefined),
    },
    outcomes,
    slowest: messageList(body.slowest),
    recentFailures: messageList(body.recentFailures),
  };
}

function messageList(value: unknown): SlowMessage[] {
  return (Array.isArray(value) ? value : []).map(slowMessage).filter((v): v is SlowMessage => v !== undefined);
}
