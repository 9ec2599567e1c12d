/** What the standalone page keeps, loads and opens at start, from its URL (`/?messages=1000&trace=<id>`). */
export interface StandaloneOptions {
  /** Messages kept in memory (the store bound). */
  maxMessages: number;
  /** Recent traces loaded from `/api/traces` when the page opens. */
  backfillLimit: number;
  /** `?trace=<32 hex>`: the trace opened at start (an exemplar's or an alert's link). */
  trace?: string;
}

export const STANDALONE_DEFAULTS: StandaloneOptions = { maxMessages: 500, backfillLimit: 100 };
/** The collector's `/api/traces` answers at most 1000 traces; the store bound is kept near it. */
export const MAX_STANDALONE_MESSAGES = 5000;
const MAX_BACKFILL = 1000;

/**
 * `?messages=N` keeps N messages and loads up to N recent ones at start (at most 1000 from the
 * collector); anything else, or nothing, keeps the defaults.
 */
export function standaloneOptions(search: string): StandaloneOptions {
  const params = new URLSearchParams(search);
  const trace = traceParam(params.get('trace'));
  const raw = params.get('messages');
  const value = raw === null || raw.trim() === '' ? Number.NaN : Number(raw);
  const sizes = Number.isInteger(value) && value >= 1
    ? { maxMessages: Math.min(MAX_STANDALONE_MESSAGES, value), backfillLimit: Math.min(MAX_BACKFILL, value) }
    : { ...STANDALONE_DEFAULTS };
  return trace ? { ...sizes, trace } : sizes;
}

/** A W3C trace id (32 hex digits, not all zeros), lower-cased; anything else is ignored. */
function traceParam(raw: string | null): string | undefined {
  const id = raw?.trim().toLowerCase();
  return id && /^[0-9a-f]{32}$/.test(id) && !/^0+$/.test(id) ? id : undefined;
}
