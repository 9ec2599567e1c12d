import type { OtlpKeyValue, OtlpResourceSpans, OtlpSpan } from '../bridge/otlp-types';

// Builders for hand-made OTLP JSON in tests (and the demo data of the in-memory adapter).

export type Attrs = Record<string, string | number | boolean>;

export function kv(attrs: Attrs = {}): OtlpKeyValue[] {
  return Object.entries(attrs).map(([key, value]) => ({
    key,
    value: typeof value === 'string' ? { stringValue: value } : typeof value === 'boolean' ? { boolValue: value } : Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value },
  }));
}

const nanos = (ms: number): string => (BigInt(Math.round(ms * 1000)) * 1000n).toString();

export interface SpanSpec {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startMs: number;
  endMs: number;
  attrs?: Attrs;
  events?: { name: string; timeMs: number; attrs?: Attrs }[];
  error?: string;
}

export function otlpSpan(spec: SpanSpec): OtlpSpan {
  return {
    traceId: spec.traceId,
    spanId: spec.spanId,
    ...(spec.parentSpanId ? { parentSpanId: spec.parentSpanId } : {}),
    name: spec.name,
    kind: spec.kind ?? 1,
    startTimeUnixNano: nanos(spec.startMs),
    endTimeUnixNano: nanos(spec.endMs),
    attributes: kv(spec.attrs),
    events: (spec.events ?? []).map((event) => ({ name: event.name, timeUnixNano: nanos(event.timeMs), attributes: kv(event.attrs) })),
    status: spec.error ? { code: 2, message: spec.error } : { code: 0 },
  };
}

export function resourceSpans(service: string, spans: SpanSpec[]): OtlpResourceSpans {
  return {
    resource: { attributes: kv({ 'service.name': service }) },
    scopeSpans: [{ scope: { name: 'test' }, spans: spans.map(otlpSpan) }],
  };
}

/** A 32-hex trace id / 16-hex span id derived from a number, for readable tests. */
export const traceIdOf = (n: number): string => n.toString(16).padStart(32, '0');
export const spanIdOf = (n: number): string => n.toString(16).padStart(16, '0');
