// OTLP JSON as the collector stores it and the SDK posts it: ids are lower-case hex, times are
// decimal strings of nanoseconds (numbers are accepted too, some exporters send them).

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  bytesValue?: string;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
}

export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}

export interface OtlpEvent {
  timeUnixNano?: string | number | { low: number; high: number };
  name?: string;
  attributes?: OtlpKeyValue[];
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name?: string;
  kind?: number;
  startTimeUnixNano?: string | number | { low: number; high: number };
  endTimeUnixNano?: string | number | { low: number; high: number };
  attributes?: OtlpKeyValue[];
  events?: OtlpEvent[];
  status?: { code?: number; message?: string };
}

export interface OtlpScopeSpans {
  scope?: { name?: string; version?: string };
  spans?: OtlpSpan[];
}

export interface OtlpResourceSpans {
  resource?: { attributes?: OtlpKeyValue[] };
  scopeSpans?: OtlpScopeSpans[];
}

/** One chunk of a streamed answer as the SDK reports it; times are epoch milliseconds. */
export interface ChunkPoint {
  index: number;
  bytes: number;
  arrivalMs: number;
  commitMs?: number;
  paintMs?: number;
  paintSource?: string;
}

export interface ChunkSeries {
  traceId: string;
  spanId: string;
  chunks: ChunkPoint[];
}

export interface OtlpLogRecord {
  timeUnixNano?: string | number;
  observedTimeUnixNano?: string | number;
  severityNumber?: number;
  severityText?: string;
  body?: OtlpAnyValue;
  attributes?: OtlpKeyValue[];
  traceId?: string;
  spanId?: string;
}

export interface OtlpResourceLogs {
  resource?: { attributes?: OtlpKeyValue[] };
  scopeLogs?: { scope?: { name?: string; version?: string }; logRecords?: OtlpLogRecord[] }[];
}
