import type { ServerResponse } from 'node:http';
import { HttpError } from './http-error.js';
import { parseTraceQuery, sendJson } from './query.js';
import type { SpanStore } from './span-store.js';
import type { TraceSummary } from './trace-summary.js';

/** Past this many bytes of spans a bulk answer stops adding traces (the first one always goes in). */
export const MAX_BULK_SPAN_BYTES = 32 * 1024 * 1024;

export interface TraceListRequest {
  /** Leading matches skipped (newest first), so a truncated bulk answer can be continued. */
  offset: number;
  /** `spans=1`: the listed traces' spans in the same answer. */
  withSpans: boolean;
}

export function parseTraceListRequest(params: URLSearchParams): TraceListRequest {
  const rawOffset = params.get('offset');
  let offset = 0;
  if (rawOffset !== null && rawOffset !== '') {
    offset = Number(rawOffset);
    if (!Number.isSafeInteger(offset) || offset < 0) throw new HttpError(400, 'offset must be a non-negative integer');
  }
  const rawSpans = params.get('spans');
  if (rawSpans !== null && !['', '0', '1', 'false', 'true'].includes(rawSpans)) throw new HttpError(400, 'spans must be 1 or 0');
  return { offset, withSpans: rawSpans === '1' || rawSpans === 'true' };
}

const OPEN = Buffer.from('{"resourceSpans":[');
const CLOSE = Buffer.from(']}');
const COMMA = Buffer.from(',');

/** The `[...]` contents of a cached `{"resourceSpans":[...]}` body, without copying it. */
function resourceSpansItems(body: Buffer): Buffer {
  if (!body.subarray(0, OPEN.length).equals(OPEN) || !body.subarray(body.length - CLOSE.length).equals(CLOSE)) {
    throw new Error('unexpected trace body shape');
  }
  return body.subarray(OPEN.length, body.length - CLOSE.length);
}

export interface BulkTraceBody {
  chunks: Buffer[];
  length: number;
  /** How many of the listed traces (from the first) have their spans in the answer. */
  spansTraces: number;
}

/**
 * `{"traces":[...],"resourceSpans":[...],"spansTraces":K,"truncated":bool}`: the summaries of all
 * listed traces and the spans of the first K of them, each trace grouped as `/api/traces/{id}`
 * answers it (its cached body is reused, not re-serialized). Traces are added until `maxBytes`
 * of spans would be exceeded; a client continues with `offset` += K.
 */
export function bulkTraceBody(spans: SpanStore, listed: readonly TraceSummary[], maxBytes: number): BulkTraceBody {
  const items: Buffer[] = [];
  let spanBytes = 0;
  let spansTraces = 0;
  for (const summary of listed) {
    const body = spans.getJson(summary.traceId);
    if (!body) break; // Evicted since it was listed: the rest is left to the client's fallback.
    const part = resourceSpansItems(body);
    if (!part.length) {
      spansTraces++;
      continue;
    }
    const added = part.length + (items.length ? COMMA.length : 0);
    if (spansTraces && spanBytes + added > maxBytes) break;
    if (items.length) items.push(COMMA);
    items.push(part);
    spanBytes += added;
    spansTraces++;
  }
  const head = Buffer.from(`{"traces":${JSON.stringify(listed)},"resourceSpans":[`);
  const tail = Buffer.from(`],"spansTraces":${spansTraces},"truncated":${spansTraces < listed.length}}`);
  const chunks = [head, ...items, tail];
  return { chunks, length: chunks.reduce((sum, chunk) => sum + chunk.length, 0), spansTraces };
}

/**
 * `GET /api/traces?limit=&offset=&spans=&…`: the trace list, with `spans=1` also their spans.
 * The plain list also says the live feed's `lastEventId` when it was made: a client that lists and
 * then follows `/api/live?lastEventId=` that id misses no span and gets none twice.
 */
export function handleListTraces(res: ServerResponse, spans: SpanStore, params: URLSearchParams, maxBytes = MAX_BULK_SPAN_BYTES, lastEventId?: () => number): void {
  const query = parseTraceQuery(params);
  const { offset, withSpans } = parseTraceListRequest(params);
  const limit = query.limit ?? 100;
  const listed = offset ? spans.list({ ...query, limit: offset + limit }).slice(offset) : spans.list(query);
  if (!withSpans) return sendJson(res, 200, lastEventId ? { traces: listed, lastEventId: lastEventId() } : { traces: listed });
  const body = bulkTraceBody(spans, listed, maxBytes);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  for (const chunk of body.chunks) res.write(chunk);
  res.end();
}
