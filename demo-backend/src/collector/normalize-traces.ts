import {
  ShapeError,
  boundedString,
  expectArray,
  expectRecord,
  normalizeAttributes,
  normalizeEnum,
  normalizeId,
  normalizeNanos,
  optionalString,
  optionalUint32,
} from './normalize-common.js';
import type { IdEncoding, TruncationCount } from './normalize-common.js';
import { normalizeEnvelope } from './normalize-envelope.js';
import {
  MAX_ATTRIBUTES_PER_ITEM,
  MAX_ATTRIBUTES_PER_SPAN,
  MAX_EVENTS_PER_SPAN,
  MAX_LINKS_PER_SPAN,
  TRUNCATED_VALUES_ATTRIBUTE,
  addDropped,
  firstItems,
} from './span-limits.js';
import type { Span, SpanEvent, SpanLink, TracesData } from './otlp-types.js';

export interface NormalizedTraces {
  data: TracesData;
  accepted: number;
  /** Spans dropped because their ids or times were invalid. */
  rejected: number;
}

const SPAN_KINDS = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
] as const;
const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'] as const;

function normalizeEvent(value: unknown, where: string, truncated: TruncationCount): SpanEvent {
  const input = expectRecord(value, where);
  const time = normalizeNanos(input.timeUnixNano);
  if (time === null) throw new ShapeError(`${where}.timeUnixNano must be an unsigned integer`);
  const attributes = firstItems(input.attributes, MAX_ATTRIBUTES_PER_ITEM);
  const event: SpanEvent = {
    timeUnixNano: time,
    name: optionalString(input.name, `${where}.name`) ?? '',
    attributes: normalizeAttributes(attributes.items, `${where}.attributes`, 0, truncated),
  };
  const dropped = addDropped(optionalUint32(input.droppedAttributesCount, `${where}.droppedAttributesCount`), attributes.dropped);
  if (dropped) event.droppedAttributesCount = dropped;
  return event;
}

/** Links with invalid ids are dropped; they cannot point anywhere. */
function normalizeLink(value: unknown, where: string, encoding: IdEncoding, truncated: TruncationCount): SpanLink | undefined {
  const input = expectRecord(value, where);
  const traceId = normalizeId(input.traceId, 16, encoding);
  const spanId = normalizeId(input.spanId, 8, encoding);
  if (!traceId || !spanId) return undefined;
  const attributes = firstItems(input.attributes, MAX_ATTRIBUTES_PER_ITEM);
  const link: SpanLink = { traceId, spanId, attributes: normalizeAttributes(attributes.items, `${where}.attributes`, 0, truncated) };
  const traceState = optionalString(input.traceState, `${where}.traceState`);
  if (traceState) link.traceState = traceState;
  const dropped = addDropped(optionalUint32(input.droppedAttributesCount, `${where}.droppedAttributesCount`), attributes.dropped);
  if (dropped) link.droppedAttributesCount = dropped;
  const flags = optionalUint32(input.flags, `${where}.flags`);
  if (flags !== undefined) link.flags = flags;
  return link;
}

/** `undefined` means the span is dropped (invalid ids or times); shape errors throw. */
function normalizeSpan(value: unknown, where: string, encoding: IdEncoding): Span | undefined {
  const input = expectRecord(value, where);
  const traceId = normalizeId(input.traceId, 16, encoding);
  const spanId = normalizeId(input.spanId, 8, encoding);
  const parentSpanId = normalizeId(input.parentSpanId, 8, encoding);
  const start = normalizeNanos(input.startTimeUnixNano);
  const end = normalizeNanos(input.endTimeUnixNano);
  if (!traceId || !spanId || parentSpanId === null || start === null || end === null) return undefined;

  const truncated: TruncationCount = { values: 0 };
  const statusInput = input.status === undefined || input.status === null ? {} : expectRecord(input.status, `${where}.status`);
  const status: Span['status'] = {};
  const code = normalizeEnum(statusInput.code, STATUS_CODES, `${where}.status.code`);
  if (code) status.code = code;
  const message = optionalString(statusInput.message, `${where}.status.message`);
  if (message) status.message = boundedString(message, truncated);

  const attributes = firstItems(input.attributes, MAX_ATTRIBUTES_PER_SPAN);
  const events = firstItems(input.events, MAX_EVENTS_PER_SPAN);
  const links = firstItems(input.links, MAX_LINKS_PER_SPAN);
  const span: Span = {
    traceId,
    spanId,
    name: boundedString(optionalString(input.name, `${where}.name`) ?? '', truncated),
    kind: normalizeEnum(input.kind, SPAN_KINDS, `${where}.kind`),
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    attributes: normalizeAttributes(attributes.items, `${where}.attributes`, 0, truncated),
    events: expectArray(events.items, `${where}.events`).map((e, i) => normalizeEvent(e, `${where}.events[${i}]`, truncated)),
    links: expectArray(links.items, `${where}.links`).flatMap((l, i) => normalizeLink(l, `${where}.links[${i}]`, encoding, truncated) ?? []),
    status,
  };
  if (truncated.values > 0) span.attributes.push({ key: TRUNCATED_VALUES_ATTRIBUTE, value: { intValue: String(truncated.values) } });
  if (parentSpanId) span.parentSpanId = parentSpanId;
  const traceState = optionalString(input.traceState, `${where}.traceState`);
  if (traceState) span.traceState = traceState;
  const flags = optionalUint32(input.flags, `${where}.flags`);
  if (flags !== undefined) span.flags = flags;
  const cut = { droppedAttributesCount: attributes.dropped, droppedEventsCount: events.dropped, droppedLinksCount: links.dropped };
  for (const field of ['droppedAttributesCount', 'droppedEventsCount', 'droppedLinksCount'] as const) {
    const count = addDropped(optionalUint32(input[field], `${where}.${field}`), cut[field]);
    if (count) span[field] = count;
  }
  return span;
}

/** Validates an `ExportTraceServiceRequest` (as parsed JSON or decoded protobuf) into stored form. */
export function normalizeTraces(body: unknown, encoding: IdEncoding): NormalizedTraces {
  const keys = { resources: 'resourceSpans', scopes: 'scopeSpans', items: 'spans' } as const;
  return normalizeEnvelope(body, keys, (value, where) => normalizeSpan(value, where, encoding));
}
