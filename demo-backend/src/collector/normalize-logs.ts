import {
  expectRecord,
  normalizeAnyValue,
  normalizeAttributes,
  normalizeEnum,
  normalizeId,
  normalizeNanos,
  optionalString,
  optionalUint32,
} from './normalize-common.js';
import type { IdEncoding } from './normalize-common.js';
import { normalizeEnvelope } from './normalize-envelope.js';
import type { LogRecord, LogsData } from './otlp-types.js';

export interface NormalizedLogs {
  data: LogsData;
  accepted: number;
  /** Records dropped because their ids or times were invalid. */
  rejected: number;
}

// SEVERITY_NUMBER_UNSPECIFIED, TRACE..TRACE4, DEBUG..DEBUG4, INFO.., WARN.., ERROR.., FATAL..
const SEVERITY_NAMES = [
  'SEVERITY_NUMBER_UNSPECIFIED',
  ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((level) =>
    ['', '2', '3', '4'].map((n) => `SEVERITY_NUMBER_${level}${n}`),
  ),
];

function normalizeLogRecord(value: unknown, where: string, encoding: IdEncoding): LogRecord | undefined {
  const input = expectRecord(value, where);
  const traceId = normalizeId(input.traceId, 16, encoding);
  const spanId = normalizeId(input.spanId, 8, encoding);
  const time = normalizeNanos(input.timeUnixNano);
  const observed = normalizeNanos(input.observedTimeUnixNano);
  if (traceId === null || spanId === null || time === null || observed === null) return undefined;
  const record: LogRecord = {
    timeUnixNano: time,
    observedTimeUnixNano: observed,
    attributes: normalizeAttributes(input.attributes, `${where}.attributes`),
  };
  const severity = normalizeEnum(input.severityNumber, SEVERITY_NAMES, `${where}.severityNumber`);
  if (severity) record.severityNumber = severity;
  const severityText = optionalString(input.severityText, `${where}.severityText`);
  if (severityText) record.severityText = severityText;
  if (input.body !== undefined && input.body !== null) record.body = normalizeAnyValue(input.body, `${where}.body`);
  const dropped = optionalUint32(input.droppedAttributesCount, `${where}.droppedAttributesCount`);
  if (dropped) record.droppedAttributesCount = dropped;
  const flags = optionalUint32(input.flags, `${where}.flags`);
  if (flags !== undefined) record.flags = flags;
  if (traceId) record.traceId = traceId;
  if (spanId) record.spanId = spanId;
  const eventName = optionalString(input.eventName, `${where}.eventName`);
  if (eventName) record.eventName = eventName;
  return record;
}

/** Validates an `ExportLogsServiceRequest` (as parsed JSON or decoded protobuf) into stored form. */
export function normalizeLogs(body: unknown, encoding: IdEncoding): NormalizedLogs {
  const keys = { resources: 'resourceLogs', scopes: 'scopeLogs', items: 'logRecords' } as const;
  return normalizeEnvelope(body, keys, (value, where) => normalizeLogRecord(value, where, encoding));
}
