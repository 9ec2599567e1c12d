// Error values reach `fail()` from anywhere (rejections of any library, upstream bodies): turning
// them into span text must never throw and must stay small.

/** Longest status message / cancel reason recorded; upstream error bodies can be megabytes. */
export const MAX_ERROR_TEXT = 1024;

/** Text of an error value, at most `max` characters. Never throws (null-prototype objects, throwing getters). */
export function errorText(error: unknown, max = MAX_ERROR_TEXT): string {
  let text: string;
  try {
    text = error instanceof Error ? String(error.message) : String(error);
  } catch {
    try {
      text = Object.prototype.toString.call(error);
    } catch {
      text = 'unprintable error';
    }
  }
  return text.length > max ? text.slice(0, max) : text;
}

/** The error's own `name` (bounded) unless it is the generic `Error`; else `_OTHER`. Never throws. */
export function errorName(error: unknown): string {
  try {
    if (error instanceof Error && typeof error.name === 'string' && error.name && error.name !== 'Error') return error.name.slice(0, 256);
  } catch {
    // A throwing `name` getter: no usable name.
  }
  return '_OTHER';
}
