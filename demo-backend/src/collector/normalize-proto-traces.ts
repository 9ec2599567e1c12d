import { ShapeError, boundedString } from './normalize-common.js';
import { readAttribute, readEnvelope } from './normalize-proto-common.js';
import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT, expectWire, unsignedDecimal } from './normalize-proto-wire.js';
import {
  MAX_ATTRIBUTES_PER_ITEM,
  MAX_ATTRIBUTES_PER_SPAN,
  MAX_EVENTS_PER_SPAN,
  MAX_LINKS_PER_SPAN,
  TRUNCATED_VALUES_ATTRIBUTE,
  addDropped,
} from './span-limits.js';
import type { TruncationCount } from './normalize-common.js';
import type { WireReader } from './normalize-proto-wire.js';
import type { NormalizedTraces } from './normalize-traces.js';
import type { KeyValue, ResourceSpans, ScopeSpans, Span, SpanEvent, SpanLink } from './otlp-types.js';

const SPAN_KIND_COUNT = 6;
const STATUS_CODE_COUNT = 3;

function readEvent(reader: WireReader, truncated: TruncationCount): SpanEvent {
  const outer = reader.enter();
  let time = '0';
  let name = '';
  const attributes: KeyValue[] = [];
  let cut = 0;
  let dropped = 0;
  while (reader.more()) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        expectWire(tag, WIRE_FIXED64);
        reader.fixed64();
        time = unsignedDecimal(reader);
        break;
      case 2:
        expectWire(tag, WIRE_LEN);
        name = reader.string();
        break;
      case 3:
        if (readAttribute(reader, tag, attributes, MAX_ATTRIBUTES_PER_ITEM, truncated)) cut++;
        break;
      case 4:
        expectWire(tag, WIRE_VARINT);
        dropped = reader.uint32();
        break;
      default:
        reader.skip(tag);
    }
  }
  reader.leave(outer);
  const event: SpanEvent = { timeUnixNano: time, name, attributes };
  const total = addDropped(dropped, cut);
  if (total) event.droppedAttributesCount = total;
  return event;
}

/** `undefined` when its ids are missing or invalid (the link is dropped, as for JSON). */
function readLink(reader: WireReader, truncated: TruncationCount): SpanLink | undefined {
  const outer = reader.enter();
  let traceId: string | undefined | null;
  let spanId: string | undefined | null;
  let traceState = '';
  const attributes: KeyValue[] = [];
  let cut = 0;
  let dropped = 0;
  let flags: number | undefined;
  while (reader.more()) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        expectWire(tag, WIRE_LEN);
        traceId = reader.id(16);
        break;
      case 2:
        expectWire(tag, WIRE_LEN);
        spanId = reader.id(8);
        break;
      case 3:
        expectWire(tag, WIRE_LEN);
        traceState = reader.string();
        break;
      case 4:
        if (readAttribute(reader, tag, attributes, MAX_ATTRIBUTES_PER_ITEM, truncated)) cut++;
        break;
      case 5:
        expectWire(tag, WIRE_VARINT);
        dropped = reader.uint32();
        break;
      case 6:
        expectWire(tag, WIRE_FIXED32);
        flags = reader.fixed32();
        break;
      default:
        reader.skip(tag);
    }
  }
  reader.leave(outer);
  if (!traceId || !spanId) return undefined;
  const link: SpanLink = { traceId, spanId, attributes };
  if (traceState) link.traceState = traceState;
  const total = addDropped(dropped, cut);
  if (total) link.droppedAttributesCount = total;
  if (flags !== undefined) link.flags = flags;
  return link;
}

/** `undefined` means the span is dropped (missing or invalid ids); bad enums throw ShapeError. */
function readSpan(reader: WireReader, scopeWhere: string, index: number): Span | undefined {
  const outer = reader.enter();
  let traceId: string | undefined | null;
  let spanId: string | undefined | null;
  let parentSpanId: string | undefined | null;
  let traceState = '';
  let flags: number | undefined;
  let name = '';
  let kind = 0;
  let start = '0';
  let end = '0';
  let statusCode = 0;
  let statusMessage = '';
  const truncated: TruncationCount = { values: 0 };
  const attributes: KeyValue[] = [];
  const events: SpanEvent[] = [];
  const links: SpanLink[] = [];
  let attributesCut = 0;
  let eventsCut = 0;
  let linksCut = 0;
  let linksSeen = 0;
  let droppedAttributes = 0;
  let droppedEvents = 0;
  let droppedLinks = 0;
  while (reader.more()) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        expectWire(tag, WIRE_LEN);
        traceId = reader.id(16);
        break;
      case 2:
        expectWire(tag, WIRE_LEN);
        spanId = reader.id(8);
        break;
      case 3:
        expectWire(tag, WIRE_LEN);
        traceState = reader.string();
        break;
      case 4:
        expectWire(tag, WIRE_LEN);
        parentSpanId = reader.id(8);
        break;
      case 5:
        expectWire(tag, WIRE_LEN);
        name = reader.string();
        break;
      case 6:
        expectWire(tag, WIRE_VARINT);
        kind = reader.uint32();
        break;
      case 7:
        expectWire(tag, WIRE_FIXED64);
        reader.fixed64();
        start = unsignedDecimal(reader);
        break;
      case 8:
        expectWire(tag, WIRE_FIXED64);
        reader.fixed64();
        end = unsignedDecimal(reader);
        break;
      case 9:
        if (readAttribute(reader, tag, attributes, MAX_ATTRIBUTES_PER_SPAN, truncated)) attributesCut++;
        break;
      case 10:
        expectWire(tag, WIRE_VARINT);
        droppedAttributes = reader.uint32();
        break;
      case 11:
        expectWire(tag, WIRE_LEN);
        if (events.length >= MAX_EVENTS_PER_SPAN) {
          reader.skipBytes();
          eventsCut++;
        } else events.push(readEvent(reader, truncated));
        break;
      case 12:
        expectWire(tag, WIRE_VARINT);
        droppedEvents = reader.uint32();
        break;
      case 13: {
        expectWire(tag, WIRE_LEN);
        // The limit counts links as sent, before those with invalid ids are dropped (as for JSON).
        if (linksSeen++ >= MAX_LINKS_PER_SPAN) {
          reader.skipBytes();
          linksCut++;
          break;
        }
        const link = readLink(reader, truncated);
        if (link) links.push(link);
        break;
      }
      case 14:
        expectWire(tag, WIRE_VARINT);
        droppedLinks = reader.uint32();
        break;
      case 15: {
        expectWire(tag, WIRE_LEN);
        const statusOuter = reader.enter();
        statusCode = 0;
        statusMessage = '';
        while (reader.more()) {
          const inner = reader.tag();
          const field = inner >>> 3;
          if (field === 2) {
            expectWire(inner, WIRE_LEN);
            statusMessage = reader.string();
          } else if (field === 3) {
            expectWire(inner, WIRE_VARINT);
            statusCode = reader.uint32();
          } else reader.skip(inner);
        }
        reader.leave(statusOuter);
        break;
      }
      case 16:
        expectWire(tag, WIRE_FIXED32);
        flags = reader.fixed32();
        break;
      default:
        reader.skip(tag);
    }
  }
  reader.leave(outer);
  if (!traceId || !spanId || parentSpanId === null) return undefined;
  if (statusCode >= STATUS_CODE_COUNT) throw new ShapeError(`${scopeWhere}.spans[${index}].status.code is not a valid enum value`);
  if (kind >= SPAN_KIND_COUNT) throw new ShapeError(`${scopeWhere}.spans[${index}].kind is not a valid enum value`);

  // Same key order and optional fields as normalizeSpan, so both encodings store identical spans.
  const status: Span['status'] = {};
  if (statusCode) status.code = statusCode;
  if (statusMessage) status.message = boundedString(statusMessage, truncated);
  const span: Span = {
    traceId,
    spanId,
    name: boundedString(name, truncated),
    kind,
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    attributes,
    events,
    links,
    status,
  };
  if (truncated.values > 0) attributes.push({ key: TRUNCATED_VALUES_ATTRIBUTE, value: { intValue: String(truncated.values) } });
  if (parentSpanId) span.parentSpanId = parentSpanId;
  if (traceState) span.traceState = traceState;
  if (flags !== undefined) span.flags = flags;
  const dropped = [addDropped(droppedAttributes, attributesCut), addDropped(droppedEvents, eventsCut), addDropped(droppedLinks, linksCut)];
  if (dropped[0]) span.droppedAttributesCount = dropped[0];
  if (dropped[1]) span.droppedEventsCount = dropped[1];
  if (dropped[2]) span.droppedLinksCount = dropped[2];
  return span;
}

/**
 * Decodes an OTLP protobuf `ExportTraceServiceRequest` straight into stored form, with the rules
 * normalizeTraces applies to JSON. Throws ProtoError on malformed bytes, ShapeError on bad enums.
 */
export function decodeTraces(bytes: Buffer): NormalizedTraces {
  const { resources, accepted, rejected } = readEnvelope<Span, ScopeSpans, ResourceSpans>(bytes, 'resourceSpans', 'scopeSpans', {
    readItem: readSpan,
    scoped: (scope, spans) => ({ scope, spans }),
    resourced: (resource, scopeSpans) => ({ resource, scopeSpans }),
  });
  return { data: { resourceSpans: resources }, accepted, rejected };
}
