import type { Attributes, HrTime, Link, SpanContext } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';

/**
 * OTLP/HTTP JSON for ended spans (ExportTraceServiceRequest), field for field what
 * `@opentelemetry/otlp-transformer`'s JsonTraceSerializer writes (otlp-json.test.ts compares the
 * bytes): hex ids, times as decimal strings of nanoseconds, `kind` + 1, integers as `intValue`
 * and other numbers as `doubleValue`, flags with the HAS_IS_REMOTE/IS_REMOTE bits. Absent
 * optional fields are `undefined` here, so JSON leaves them out. (Scope attributes, which the SDK
 * never sets, are not written.)
 */
type AnyValue = Record<string, unknown>;
type KeyValue = { key: string; value: AnyValue };

const nanos = (t: HrTime): string => String(BigInt(Math.trunc(t[0])) * BigInt(1e9) + BigInt(Math.trunc(t[1])));

function anyValue(value: unknown): AnyValue {
  const t = typeof value;
  if (t === 'string') return { stringValue: value };
  if (t === 'number') return Number.isInteger(value) ? { intValue: value } : { doubleValue: value };
  if (t === 'boolean') return { boolValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  return {};
}

const attributes = (input: Attributes | undefined): KeyValue[] => Object.keys(input ?? {}).map((key) => ({ key, value: anyValue(input?.[key]) }));

const flags = (context: SpanContext, isRemote: boolean | undefined): number => (context.traceFlags & 0xff) | (isRemote ? 0x300 : 0x100);

const link = (l: Link): Record<string, unknown> => ({
  attributes: attributes(l.attributes),
  spanId: l.context.spanId,
  traceId: l.context.traceId,
  traceState: l.context.traceState?.serialize(),
  droppedAttributesCount: l.droppedAttributesCount || 0,
  flags: flags(l.context, l.context.isRemote),
});

const event = (e: TimedEvent): Record<string, unknown> => ({
  attributes: attributes(e.attributes),
  name: e.name,
  timeUnixNano: nanos(e.time),
  droppedAttributesCount: e.droppedAttributesCount || 0,
});

function span(s: ReadableSpan): Record<string, unknown> {
  const ctx = s.spanContext();
  return {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    parentSpanId: s.parentSpanContext?.spanId || undefined,
    traceState: ctx.traceState?.serialize(),
    name: s.name,
    kind: s.kind == null ? 0 : s.kind + 1,
    startTimeUnixNano: nanos(s.startTime),
    endTimeUnixNano: nanos(s.endTime),
    attributes: attributes(s.attributes),
    droppedAttributesCount: s.droppedAttributesCount,
    events: s.events.map(event),
    droppedEventsCount: s.droppedEventsCount,
    status: { code: s.status.code, message: s.status.message },
    links: s.links.map(link),
    droppedLinksCount: s.droppedLinksCount,
    flags: flags(ctx, s.parentSpanContext?.isRemote),
  };
}

/**
 * `{ resourceSpans }`: spans grouped by instrumentation scope, in order of first appearance, under
 * the first span's resource (the SDK has one tracer provider, so all its spans share one resource).
 */
export function toOtlpJson(spans: readonly ReadableSpan[]): { resourceSpans: Record<string, unknown>[] } {
  if (spans.length === 0) return { resourceSpans: [] };
  const scopes = new Map<string, ReadableSpan[]>();
  for (const s of spans) {
    const scope = s.instrumentationScope;
    const key = `${scope.name}@${scope.version || ''}:${scope.schemaUrl || ''}`;
    const list = scopes.get(key);
    if (list === undefined) scopes.set(key, [s]);
    else list.push(s);
  }
  const resource = (spans[0] as ReadableSpan).resource;
  const schemaUrl = resource.schemaUrl || undefined;
  return {
    resourceSpans: [
      {
        resource: { attributes: attributes(resource.attributes), droppedAttributesCount: 0, schemaUrl },
        scopeSpans: Array.from(scopes.values(), (list) => {
          const scope = (list[0] as ReadableSpan).instrumentationScope;
          return { scope: { name: scope.name, version: scope.version }, spans: list.map(span), schemaUrl: scope.schemaUrl };
        }),
        schemaUrl,
      },
    ],
  };
}

/** The request body of OTLP/HTTP JSON. */
export function encodeOtlpJson(spans: readonly ReadableSpan[]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(toOtlpJson(spans)));
}
