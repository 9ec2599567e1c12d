import {
  expectArray,
  expectRecord,
  normalizeAnyValue,
  normalizeAttributes,
  normalizeEnum,
  normalizeId,
  normalizeNanos,
  normalizeResource,
  normalizeScope,
  optionalString,
  optionalUint32,
} from './normalize-common.js';
import type { IdEncoding } from './normalize-common.js';
import type { LogRecord, LogsData, ResourceLogs, ScopeLogs } from './otlp-types.js';

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
  const root = expectRecord(body, 'request');
  let accepted = 0;
  let rejected = 0;
  const resourceLogs: ResourceLogs[] = [];
  expectArray(root.resourceLogs, 'resourceLogs').forEach((rlValue, r) => {
    const rlWhere = `resourceLogs[${r}]`;
    const rl = expectRecord(rlValue, rlWhere);
    const scopeLogs: ScopeLogs[] = [];
    expectArray(rl.scopeLogs, `${rlWhere}.scopeLogs`).forEach((slValue, s) => {
      const slWhere = `${rlWhere}.scopeLogs[${s}]`;
      const sl = expectRecord(slValue, slWhere);
      const logRecords: LogRecord[] = [];
      expectArray(sl.logRecords, `${slWhere}.logRecords`).forEach((recordValue, i) => {
        const record = normalizeLogRecord(recordValue, `${slWhere}.logRecords[${i}]`, encoding);
        if (record) logRecords.push(record);
        else rejected++;
      });
      const scope = normalizeScope(sl.scope, `${slWhere}.scope`);
      const schemaUrl = optionalString(sl.schemaUrl, `${slWhere}.schemaUrl`);
      if (logRecords.length === 0) return;
      accepted += logRecords.length;
      const scoped: ScopeLogs = { scope, logRecords };
      if (schemaUrl) scoped.schemaUrl = schemaUrl;
      scopeLogs.push(scoped);
    });
    const resource = normalizeResource(rl.resource, `${rlWhere}.resource`);
    const schemaUrl = optionalString(rl.schemaUrl, `${rlWhere}.schemaUrl`);
    if (scopeLogs.length === 0) return;
    const entry: ResourceLogs = { resource, scopeLogs };
    if (schemaUrl) entry.schemaUrl = schemaUrl;
    resourceLogs.push(entry);
  });
  return { data: { resourceLogs }, accepted, rejected };
}
