// OTLP JSON as the collector stores and serves it: ids are lower-case hex, times are decimal
// strings of nanoseconds, enums are numbers. Only fields the collector understands are kept.

export interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number | string;
  bytesValue?: string;
  arrayValue?: { values: AnyValue[] };
  kvlistValue?: { values: KeyValue[] };
}

export interface KeyValue {
  key: string;
  value: AnyValue;
}

export interface Resource {
  attributes: KeyValue[];
  droppedAttributesCount?: number;
}

export interface InstrumentationScope {
  name: string;
  version?: string;
  attributes?: KeyValue[];
  droppedAttributesCount?: number;
}

export interface SpanEvent {
  timeUnixNano: string;
  name: string;
  attributes: KeyValue[];
  droppedAttributesCount?: number;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState?: string;
  attributes: KeyValue[];
  droppedAttributesCount?: number;
  flags?: number;
}

export interface SpanStatus {
  code?: number;
  message?: string;
}

export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  flags?: number;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  droppedAttributesCount?: number;
  events: SpanEvent[];
  droppedEventsCount?: number;
  links: SpanLink[];
  droppedLinksCount?: number;
  status: SpanStatus;
}

export interface ScopeSpans {
  scope: InstrumentationScope;
  schemaUrl?: string;
  spans: Span[];
}

export interface ResourceSpans {
  resource: Resource;
  schemaUrl?: string;
  scopeSpans: ScopeSpans[];
}

export interface TracesData {
  resourceSpans: ResourceSpans[];
}

export interface LogRecord {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber?: number;
  severityText?: string;
  body?: AnyValue;
  attributes: KeyValue[];
  droppedAttributesCount?: number;
  flags?: number;
  traceId?: string;
  spanId?: string;
  eventName?: string;
}

export interface ScopeLogs {
  scope: InstrumentationScope;
  schemaUrl?: string;
  logRecords: LogRecord[];
}

export interface ResourceLogs {
  resource: Resource;
  schemaUrl?: string;
  scopeLogs: ScopeLogs[];
}

export interface LogsData {
  resourceLogs: ResourceLogs[];
}

/** OTLP span status code for ERROR. */
export const STATUS_CODE_ERROR = 2;
