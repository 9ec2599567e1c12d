import { nanosToMs, newestFirst, parseTraceItem } from './trace-listing';
import type { TraceListItem, TraceListing } from './trace-listing';

/**
 * The dev collector's compact message list (`rows-1`, demo-backend src/collector/panel-rows.ts),
 * embedded in the standalone page: the fields of `GET /api/traces` summaries that the list reads,
 * by position, service names listed once:
 * `{ format: "rows-1", lastEventId, services: [name…], rows: [[traceId, rootName, [serviceIndex…],
 * spanCount, errorCount, startTimeUnixNano, status, rootDurationMs, sessionId, messageId,
 * [startTimeUnixNano, conversationId, transport, ttftVisibleMs, chunks, preview] | null]…] }`,
 * absent values as null.
 */
export const LISTING_ROWS_FORMAT = 'rows-1';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Sets `key` when `value` is not null (the summary leaves absent fields out). */
function put(target: Json, key: string, value: unknown): void {
  if (value !== null && value !== undefined) target[key] = value;
}

function row(raw: unknown, services: unknown[]): TraceListItem | undefined {
  if (!Array.isArray(raw) || raw.length !== 11 || !Array.isArray(raw[2])) return undefined;
  const summary: Json = {
    traceId: raw[0], rootName: raw[1], services: raw[2].map((index: unknown) => (typeof index === 'number' ? services[index] : undefined)),
    spanCount: raw[3], errorCount: raw[4], startTimeUnixNano: raw[5], status: raw[6],
  };
  put(summary, 'rootDurationMs', raw[7]);
  put(summary, 'sessionId', raw[8]);
  put(summary, 'messageId', raw[9]);
  const message = raw[10];
  if (Array.isArray(message)) {
    const listed: Json = {};
    put(listed, 'startTimeUnixNano', message[0]);
    put(listed, 'conversationId', message[1]);
    put(listed, 'transport', message[2]);
    put(listed, 'ttftVisibleMs', message[3]);
    put(listed, 'chunks', message[4]);
    put(listed, 'preview', message[5]);
    summary.message = listed;
  } else if (message !== null) return undefined;
  return parseTraceItem(summary);
}

/** The rows of a `rows-1` list, newest first, read as `GET /api/traces` would be; undefined when it is not one. */
export function readListingRows(body: unknown): TraceListing | undefined {
  if (!isObject(body) || body.format !== LISTING_ROWS_FORMAT || !Array.isArray(body.rows) || !Array.isArray(body.services)) return undefined;
  const traces: TraceListItem[] = [];
  for (const raw of body.rows) {
    const parsed = row(raw, body.services);
    if (!parsed) return undefined;
    traces.push(parsed);
  }
  const { lastEventId } = body;
  return typeof lastEventId === 'number' && Number.isSafeInteger(lastEventId) && lastEventId >= 0 ? { traces, lastEventId } : { traces };
}

/** What the standalone page's first frame needs of a list (first-frame.ts FirstFrameView). */
export interface ListingRowsView {
  /** The `limit` newest chat messages (newest first, then by trace id). */
  rows: TraceListItem[];
  shown: number;
  total: number;
  conversations: boolean;
}

/**
 * The first frame's view of a `rows-1` list without reading every row into a list item: one pass
 * keeps the `limit` newest chat messages (the panel's order: start, newest first, then trace id),
 * and only those are read. Undefined when it is not such a list or a kept row does not read.
 */
export function listingRowsView(body: unknown, limit: number): ListingRowsView | undefined {
  if (!isObject(body) || body.format !== LISTING_ROWS_FORMAT || !Array.isArray(body.rows) || !Array.isArray(body.services)) return undefined;
  const kept: { startMs: number; traceId: string; raw: unknown[] }[] = [];
  let shown = 0;
  let conversation: unknown;
  let conversations = false;
  for (const raw of body.rows as unknown[]) {
    if (!Array.isArray(raw) || !Array.isArray(raw[10])) continue;
    shown++;
    const message = raw[10] as unknown[];
    if (!conversations && typeof message[1] === 'string' && message[1]) {
      if (conversation === undefined) conversation = message[1];
      else if (conversation !== message[1]) conversations = true;
    }
    const entry = { startMs: nanosToMs(message[0]) || nanosToMs(raw[5]), traceId: String(raw[0]).toLowerCase(), raw };
    if (kept.length === limit && newestFirst(entry, kept[kept.length - 1]!) >= 0) continue;
    let at = kept.length;
    while (at > 0 && newestFirst(entry, kept[at - 1]!) < 0) at--;
    kept.splice(at, 0, entry);
    if (kept.length > limit) kept.pop();
  }
  const rows: TraceListItem[] = [];
  for (const entry of kept) {
    const parsed = row(entry.raw, body.services);
    if (!parsed) return undefined;
    rows.push(parsed);
  }
  return { rows, shown, total: body.rows.length, conversations };
}
