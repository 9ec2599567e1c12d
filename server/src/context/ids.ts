// Ids end up in span attributes, log lines and collector queries; a cap keeps hostile input small.
export const MAX_ID_LENGTH = 128;
const UNSAFE = /[^A-Za-z0-9._:@/+=~-]/g;

/**
 * Makes a session or message id safe to record: strings only (the first of a repeated value),
 * characters outside `A-Z a-z 0-9 . _ : @ / + = ~ -` removed, at most 128 characters.
 * Returns `undefined` when nothing usable is left. Never throws.
 */
export function sanitizeId(value: unknown): string | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== 'string') return undefined;
  // Node joins a repeated header with ", ": the first value wins.
  const first = raw.slice(0, MAX_ID_LENGTH * 8).split(',')[0] ?? '';
  const clean = first.replace(UNSAFE, '').slice(0, MAX_ID_LENGTH);
  return clean === '' ? undefined : clean;
}
