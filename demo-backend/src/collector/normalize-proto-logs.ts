import { ShapeError } from './normalize-common.js';
import { readAnyValue, readAttribute, readEnvelope } from './normalize-proto-common.js';
import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT, expectWire, unsignedDecimal } from './normalize-proto-wire.js';
import type { WireReader } from './normalize-proto-wire.js';
import type { NormalizedLogs } from './normalize-logs.js';
import type { AnyValue, KeyValue, LogRecord, ResourceLogs, ScopeLogs } from './otlp-types.js';

// SEVERITY_NUMBER_UNSPECIFIED .. SEVERITY_NUMBER_FATAL4
const SEVERITY_COUNT = 25;

/** `undefined` means the record is dropped (an id of the wrong length or all zero). */
function readLogRecord(reader: WireReader, scopeWhere: string, index: number): LogRecord | undefined {
  const outer = reader.enter();
  let time = '0';
  let observed = '0';
  let severity = 0;
  let severityText = '';
  let body: AnyValue | undefined;
  const attributes: KeyValue[] = [];
  let dropped = 0;
  let flags: number | undefined;
  let traceId: string | undefined | null;
  let spanId: string | undefined | null;
  let eventName = '';
  while (reader.more()) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        expectWire(tag, WIRE_FIXED64);
        reader.fixed64();
        time = unsignedDecimal(reader);
        break;
      case 2:
        expectWire(tag, WIRE_VARINT);
        severity = reader.uint32();
        break;
      case 3:
        expectWire(tag, WIRE_LEN);
        severityText = reader.string();
        break;
      case 5:
        expectWire(tag, WIRE_LEN);
        body = readAnyValue(reader, 0, undefined);
        break;
      case 6:
        readAttribute(reader, tag, attributes, Infinity, undefined);
        break;
      case 7:
        expectWire(tag, WIRE_VARINT);
        dropped = reader.uint32();
        break;
      case 8:
        expectWire(tag, WIRE_FIXED32);
        flags = reader.fixed32();
        break;
      case 9:
        expectWire(tag, WIRE_LEN);
        traceId = reader.id(16);
        break;
      case 10:
        expectWire(tag, WIRE_LEN);
        spanId = reader.id(8);
        break;
      case 11:
        expectWire(tag, WIRE_FIXED64);
        reader.fixed64();
        observed = unsignedDecimal(reader);
        break;
      case 12:
        expectWire(tag, WIRE_LEN);
        eventName = reader.string();
        break;
      default:
        reader.skip(tag);
    }
  }
  reader.leave(outer);
  if (traceId === null || spanId === null) return undefined;
  if (severity >= SEVERITY_COUNT) throw new ShapeError(`${scopeWhere}.logRecords[${index}].severityNumber is not a valid enum value`);
  // Same key order and optional fields as normalizeLogRecord.
  const record: LogRecord = { timeUnixNano: time, observedTimeUnixNano: observed, attributes };
  if (severity) record.severityNumber = severity;
  if (severityText) record.severityText = severityText;
  if (body !== undefined) record.body = body;
  if (dropped) record.droppedAttributesCount = dropped;
  if (flags !== undefined) record.flags = flags;
  if (traceId) record.traceId = traceId;
  if (spanId) record.spanId = spanId;
  if (eventName) record.eventName = eventName;
  return record;
}

/**
 * Decodes an OTLP protobuf `ExportLogsServiceRequest` straight into stored form, with the rules
 * normalizeLogs applies to JSON. Throws ProtoError on malformed bytes, ShapeError on bad enums.
 */
export function decodeLogs(bytes: Buffer): NormalizedLogs {
  const { resources, accepted, rejected } = readEnvelope<LogRecord, ScopeLogs, ResourceLogs>(bytes, 'resourceLogs', 'scopeLogs', {
    readItem: readLogRecord,
    scoped: (scope, logRecords) => ({ scope, logRecords }),
    resourced: (resource, scopeLogs) => ({ resource, scopeLogs }),
  });
  return { data: { resourceLogs: resources }, accepted, rejected };
}
