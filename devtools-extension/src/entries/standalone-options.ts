/** What the standalone page keeps and loads at start, from its URL (`/?messages=1000`). */
export interface StandaloneOptions {
  /** Messages kept in memory (the store bound). */
  maxMessages: number;
  /** Recent traces loaded from `/api/traces` when the page opens. */
  backfillLimit: number;
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
  const raw = new URLSearchParams(search).get('messages');
  const value = raw === null || raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isInteger(value) || value < 1) return { ...STANDALONE_DEFAULTS };
  const messages = Math.min(MAX_STANDALONE_MESSAGES, value);
  return { maxMessages: messages, backfillLimit: Math.min(MAX_BACKFILL, messages) };
}
