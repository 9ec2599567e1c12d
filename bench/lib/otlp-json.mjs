// Turns OTLP JSON spans (as an exporter sent them) back into the ReadableSpan shape the
// @opentelemetry/otlp-transformer serializers read, so the same spans can be re-encoded as JSON or protobuf.

function anyValue(v) {
  if (v === undefined || v === null) return undefined;
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('arrayValue' in v) return (v.arrayValue.values ?? []).map(anyValue);
  if ('kvlistValue' in v) return Object.fromEntries((v.kvlistValue.values ?? []).map((kv) => [kv.key, anyValue(kv.value)]));
  return undefined;
}

const attributes = (list = []) => Object.fromEntries(list.map((kv) => [kv.key, anyValue(kv.value)]));

function hrTime(nanos) {
  const n = BigInt(nanos);
  return [Number(n / 1_000_000_000n), Number(n % 1_000_000_000n)];
}

function traceState(value) {
  return value ? { serialize: () => value } : undefined;
}

/** @returns {object[]} ReadableSpan-like objects; spans of one resource/scope share the same objects. */
export function readableSpansFromOtlpJson(request) {
  const spans = [];
  for (const rs of request.resourceSpans ?? []) {
    const resource = { attributes: attributes(rs.resource?.attributes), schemaUrl: rs.schemaUrl };
    for (const ss of rs.scopeSpans ?? []) {
      const scope = { name: ss.scope?.name ?? '', version: ss.scope?.version, schemaUrl: ss.schemaUrl };
      for (const s of ss.spans ?? []) {
        const flags = s.flags ?? 0;
        const ctx = { traceId: s.traceId, spanId: s.spanId, traceFlags: flags & 0xff, traceState: traceState(s.traceState) };
        spans.push({
          name: s.name,
          kind: (s.kind ?? 1) - 1,
          spanContext: () => ctx,
          parentSpanContext: s.parentSpanId
            ? { traceId: s.traceId, spanId: s.parentSpanId, traceFlags: flags & 0xff, isRemote: (flags & 0x300) === 0x300 }
            : undefined,
          startTime: hrTime(s.startTimeUnixNano),
          endTime: hrTime(s.endTimeUnixNano),
          attributes: attributes(s.attributes),
          droppedAttributesCount: s.droppedAttributesCount ?? 0,
          events: (s.events ?? []).map((e) => ({ name: e.name, time: hrTime(e.timeUnixNano), attributes: attributes(e.attributes), droppedAttributesCount: e.droppedAttributesCount ?? 0 })),
          droppedEventsCount: s.droppedEventsCount ?? 0,
          links: (s.links ?? []).map((l) => ({
            context: { traceId: l.traceId, spanId: l.spanId, traceFlags: (l.flags ?? 0) & 0xff, isRemote: ((l.flags ?? 0) & 0x300) === 0x300, traceState: traceState(l.traceState) },
            attributes: attributes(l.attributes),
            droppedAttributesCount: l.droppedAttributesCount ?? 0,
          })),
          droppedLinksCount: s.droppedLinksCount ?? 0,
          status: { code: s.status?.code ?? 0, message: s.status?.message },
          resource,
          instrumentationScope: scope,
        });
      }
    }
  }
  return spans;
}
