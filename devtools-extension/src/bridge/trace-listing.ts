/**
 * One listed trace as the dev collector's `GET /api/traces` summarises it: everything a message
 * list row shows, without the trace's spans (those are fetched when the trace is opened).
 */
export interface TraceListItem {
  traceId: string;
  rootName: string;
  services: string[];
  spanCount: number;
  errorCount: number;
  /** Epoch ms: the `chat.message` span's start, else the trace's earliest span. */
  startMs: number;
  /** The root's duration (`chat.message`, else the earliest span without a parent). */
  durationMs?: number;
  status: 'complete' | 'cancel' | 'error' | 'pending';
  isChatMessage: boolean;
  sessionId?: string;
  messageId?: string;
  conversationId?: string;
  transport?: string;
  ttftMs?: number;
  chunks?: number;
  preview?: string;
}

type Json = Record<string, unknown>;

const STATUSES = new Set(['complete', 'cancel', 'error', 'pending']);
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const finite = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** Decimal nanoseconds to epoch milliseconds (µs precision), 0 when it is not one. */
export function nanosToMs(value: unknown): number {
  if (typeof value !== 'string' || !DIGITS.test(value)) return 0;
  return (Number(value.slice(0, -6) || '0') * 1000 + Number(value.slice(-6, -3) || '0')) / 1000;
}

const DIGITS = /^\d+$/;
const TRACE_ID = /^[0-9a-f]{32}$/;

function strings(value: unknown): string[] {
  const out: string[] = [];
  if (Array.isArray(value)) for (const item of value) if (typeof item === 'string') out.push(item);
  return out;
}

/** The message list's order: newest first, then by trace id. */
export const newestFirst = (a: { startMs: number; traceId: string }, b: { startMs: number; traceId: string }): number =>
  b.startMs - a.startMs || a.traceId.localeCompare(b.traceId);

/**
 * One summary of the list (a `GET /api/traces` entry) as its row; undefined when it is not one.
 * Runs once per listed trace when the panel opens (1,000 times for a full list): one object
 * literal and plain assignments, no per-row closures or spreads.
 */
export function parseTraceItem(raw: Record<string, unknown>): TraceListItem | undefined {
  const id = raw.traceId;
  const status = raw.status;
  if (typeof id !== 'string' || typeof status !== 'string' || !STATUSES.has(status)) return undefined;
  const traceId = id.toLowerCase();
  if (!TRACE_ID.test(traceId)) return undefined;
  const message = isObject(raw.message) ? raw.message : undefined;
  const out: TraceListItem = {
    traceId,
    rootName: text(raw.rootName) ?? '',
    services: strings(raw.services),
    spanCount: finite(raw.spanCount) ?? 0,
    errorCount: finite(raw.errorCount) ?? 0,
    startMs: nanosToMs(message?.startTimeUnixNano) || nanosToMs(raw.startTimeUnixNano),
    status: status as TraceListItem['status'],
    isChatMessage: message !== undefined,
  };
  const durationMs = finite(raw.rootDurationMs);
  if (durationMs !== undefined) out.durationMs = durationMs;
  const sessionId = text(raw.sessionId);
  if (sessionId !== undefined) out.sessionId = sessionId;
  const messageId = text(raw.messageId);
  if (messageId !== undefined) out.messageId = messageId;
  if (message) {
    const conversationId = text(message.conversationId);
    if (conversationId !== undefined) out.conversationId = conversationId;
    const transport = text(message.transport);
    if (transport !== undefined) out.transport = transport;
    const ttftMs = finite(message.ttftVisibleMs);
    if (ttftMs !== undefined) out.ttftMs = ttftMs;
    const chunks = finite(message.chunks);
    if (chunks !== undefined) out.chunks = chunks;
    const preview = text(message.preview);
    if (preview !== undefined) out.preview = preview;
  }
  return out;
}

/**
 * The rows of a `GET /api/traces` answer, newest first; undefined when the answer has no list or
 * comes from a collector whose summaries do not carry rows (no `status`): then the panel needs the
 * spans to list the traces.
 */
export function parseTraceListing(body: unknown): TraceListItem[] | undefined {
  const traces = isObject(body) ? body.traces : undefined;
  if (!Array.isArray(traces)) return undefined;
  const out: TraceListItem[] = [];
  for (const raw of traces) {
    if (!isObject(raw)) continue;
    const parsed = parseTraceItem(raw);
    if (!parsed) return undefined;
    out.push(parsed);
  }
  return out;
}

export interface TraceListing {
  /** Newest first. */
  traces: TraceListItem[];
  /** The live feed's last event id when the list was made: follow `/api/live` from it. */
  lastEventId?: number;
}

/** `GET /api/traces?limit=N`: the request fetchTraceListing reads (the standalone page starts it early). */
export const requestTraceListing = (baseUrl: string, doFetch: typeof fetch, limit: number): Promise<Response> =>
  doFetch(`${baseUrl}/api/traces?limit=${limit}`, { headers: { accept: 'application/json' } });

/** A `GET /api/traces` answer's rows and lastEventId; undefined when it carries no rows. */
export function readTraceListing(body: unknown): TraceListing | undefined {
  const traces = parseTraceListing(body);
  if (!traces) return undefined;
  const lastEventId = isObject(body) ? body.lastEventId : undefined;
  return typeof lastEventId === 'number' && Number.isSafeInteger(lastEventId) && lastEventId >= 0 ? { traces, lastEventId } : { traces };
}

/** The answer of requestTraceListing with its rows; undefined when it carries no rows (or failed). */
export async function fetchTraceListing(request: Promise<Response>): Promise<TraceListing | undefined> {
  const response = await request;
  if (!response.ok) return undefined;
  return readTraceListing(await response.json());
}
