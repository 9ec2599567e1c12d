import type { OtlpAnyValue, OtlpKeyValue, OtlpResourceSpans, OtlpSpan } from '../../bridge/otlp-types';

export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue };

export interface SpanEventRecord {
  name: string;
  timeMs: number;
  attributes: Record<string, AttrValue>;
}

/** One span, flattened for the UI: times in epoch milliseconds (µs precision). */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startMs: number;
  endMs: number;
  serviceName: string;
  scopeName: string;
  attributes: Record<string, AttrValue>;
  events: SpanEventRecord[];
  statusCode: number;
  statusMessage?: string;
  /** The OTLP objects it came from, kept for export. */
  raw: { span: OtlpSpan; resource: OtlpResourceSpans['resource']; scope: { name?: string; version?: string } };
}

export const SPAN_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;
export const STATUS_ERROR = 2;

/** Nanoseconds since epoch (decimal string) to milliseconds, without losing µs to float rounding. */
export function nanosToMs(value: string | number | { low: number; high: number } | undefined): number {
  if (value === undefined || value === '') return 0;
  // protobufjs-style long bits, as some exporters put them into JSON.
  if (typeof value === 'object') return Number(((BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0)) / 1000n) / 1000;
  if (typeof value === 'number') return value / 1e6;
  if (!/^\d+$/.test(value)) return Number(value) / 1e6 || 0;
  // Whole microseconds, then milliseconds: the same result as BigInt division, without BigInt
  // (this runs for every span and event time). Exact while the microsecond count fits in 2^53.
  if (value.length <= 21) return (Number(value.slice(0, -6) || '0') * 1000 + Number(value.slice(-6, -3) || '0')) / 1000;
  return Number(BigInt(value) / 1000n) / 1000;
}

export function anyValue(value: OtlpAnyValue | undefined): AttrValue {
  if (!value) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.bytesValue !== undefined) return value.bytesValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(anyValue);
  if (value.kvlistValue) return attributesToRecord(value.kvlistValue.values);
  return null;
}

export function attributesToRecord(list: OtlpKeyValue[] | undefined): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const item of list ?? []) if (item && typeof item.key === 'string') out[item.key] = anyValue(item.value);
  return out;
}

/** `skip` leaves out spans the caller already holds (e.g. repeats of a polled trace) before any conversion. */
export function spanRecordsFrom(resourceSpans: OtlpResourceSpans[], skip?: (span: OtlpSpan) => boolean): SpanRecord[] {
  const out: SpanRecord[] = [];
  for (const resource of resourceSpans) {
    const resourceAttributes = attributesToRecord(resource.resource?.attributes);
    const serviceName = typeof resourceAttributes['service.name'] === 'string' ? resourceAttributes['service.name'] : 'unknown';
    for (const scope of resource.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        if (!span || typeof span.traceId !== 'string' || typeof span.spanId !== 'string') continue;
        if (skip?.(span)) continue;
        const startMs = nanosToMs(span.startTimeUnixNano);
        const endMs = Math.max(startMs, nanosToMs(span.endTimeUnixNano) || startMs);
        const parent = typeof span.parentSpanId === 'string' && /[1-9a-f]/i.test(span.parentSpanId) ? span.parentSpanId.toLowerCase() : undefined;
        out.push({
          traceId: span.traceId.toLowerCase(),
          spanId: span.spanId.toLowerCase(),
          ...(parent ? { parentSpanId: parent } : {}),
          name: typeof span.name === 'string' ? span.name : '',
          kind: typeof span.kind === 'number' ? span.kind : 0,
          startMs,
          endMs,
          serviceName,
          scopeName: scope.scope?.name ?? '',
          attributes: attributesToRecord(span.attributes),
          events: (span.events ?? []).map((event) => ({
            name: typeof event.name === 'string' ? event.name : '',
            timeMs: nanosToMs(event.timeUnixNano),
            attributes: attributesToRecord(event.attributes),
          })),
          statusCode: span.status?.code ?? 0,
          ...(span.status?.message ? { statusMessage: span.status.message } : {}),
          raw: { span, resource: resource.resource, scope: scope.scope ?? {} },
        });
      }
    }
  }
  return out;
}

export function numberAttr(span: SpanRecord | undefined, key: string): number | undefined {
  const value = span?.attributes[key];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

export function stringAttr(span: SpanRecord | undefined, key: string): string | undefined {
  const value = span?.attributes[key];
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** Renders any attribute value as plain text (never markup). */
export function formatAttr(value: AttrValue): string {
  if (typeof value === 'string') return value;
  if (value === null) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Regroups spans into OTLP JSON (one resourceSpans per resource+scope), e.g. for export. */
export function toResourceSpans(spans: SpanRecord[]): OtlpResourceSpans[] {
  const groups = new Map<string, OtlpResourceSpans & { scopes: Map<string, OtlpSpan[]> }>();
  for (const span of spans) {
    const resourceKey = JSON.stringify(span.raw.resource ?? {});
    let group = groups.get(resourceKey);
    if (!group) {
      group = { resource: span.raw.resource ?? { attributes: [] }, scopeSpans: [], scopes: new Map() };
      groups.set(resourceKey, group);
    }
    const scopeKey = JSON.stringify(span.raw.scope);
    let list = group.scopes.get(scopeKey);
    if (!list) {
      list = [];
      group.scopes.set(scopeKey, list);
      group.scopeSpans!.push({ scope: span.raw.scope, spans: list });
    }
    list.push(span.raw.span);
  }
  return [...groups.values()].map(({ resource, scopeSpans }) => ({ resource, scopeSpans }));
}
