import type { Attributes } from '@opentelemetry/api';

export const MAX_MESSAGE_CHARS = 256;
export const MAX_STACK_CHARS = 2048;

/**
 * `exception.*` attributes of a thrown value or rejection reason: type (the error's `name`, else
 * the JavaScript type), message (≤ 256 chars) and stack (code locations, ≤ 2048 chars).
 * Never calls anything but property reads and `String()` on the value, and never throws.
 */
export function exceptionAttributes(value: unknown, fallbackMessage?: string): Attributes {
  let type = value === null ? 'null' : typeof value;
  let message: string | undefined;
  let stack: string | undefined;
  try {
    if (typeof value === 'object' && value !== null) {
      const error = value as { name?: unknown; message?: unknown; stack?: unknown };
      type = typeof error.name === 'string' && error.name !== '' ? error.name : (value.constructor?.name ?? 'Object');
      if (typeof error.message === 'string') message = error.message;
      if (typeof error.stack === 'string') stack = error.stack;
    } else if (value !== undefined) {
      try {
        message = String(value);
      } catch {
        message = '[unprintable]';
      }
    }
  } catch {
    // A hostile getter: keep what we have.
  }
  message ??= fallbackMessage;
  const attributes: Attributes = { 'exception.type': type };
  if (message !== undefined) attributes['exception.message'] = message.slice(0, MAX_MESSAGE_CHARS);
  if (stack !== undefined) attributes['exception.stacktrace'] = stack.slice(0, MAX_STACK_CHARS);
  return attributes;
}
