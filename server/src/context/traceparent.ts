export interface ParsedTraceparent {
  traceId: string;
  spanId: string;
  traceFlags: number;
}

const FIELDS = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);
// Length of a version-00 traceparent; later versions may append `-`-prefixed fields.
const V00_LENGTH = 55;
// A traceparent longer than this is hostile or broken; refusing it bounds the work done on it.
const MAX_LENGTH = 512;

/** Strips the optional whitespace (space, tab) that HTTP allows around a header value. */
export function trimOws(value: string): string {
  return value.replace(/^[ \t]+|[ \t]+$/g, '');
}

/**
 * Parses a W3C `traceparent` exactly as strictly as the Trace Context specification demands.
 * An array (repeated header) or a comma-joined value (Node's join of repeated headers) is
 * invalid, because the specification says a request with several traceparents starts a new trace.
 */
export function parseTraceparent(value: unknown): ParsedTraceparent | undefined {
  let raw = value;
  if (Array.isArray(raw)) {
    if (raw.length !== 1) return undefined;
    raw = raw[0];
  }
  if (typeof raw !== 'string' || raw.length > MAX_LENGTH) return undefined;
  const text = trimOws(raw);
  if (text.length < V00_LENGTH) return undefined;
  const version = text.slice(0, 2);
  if (version === '00') {
    if (text.length !== V00_LENGTH) return undefined;
  } else if (text.length > V00_LENGTH && text[V00_LENGTH] !== '-') {
    return undefined;
  }
  const match = FIELDS.exec(text.slice(0, V00_LENGTH));
  if (!match) return undefined;
  const [, ver, traceId, spanId, flags] = match as unknown as [string, string, string, string, string];
  if (ver === 'ff' || traceId === ZERO_TRACE_ID || spanId === ZERO_SPAN_ID) return undefined;
  return { traceId, spanId, traceFlags: Number.parseInt(flags, 16) };
}

/** Formats a version-00 traceparent. */
export function formatTraceparent(traceId: string, spanId: string, traceFlags: number): string {
  return `00-${traceId}-${spanId}-${(traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}
