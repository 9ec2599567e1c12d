import type { AttributeValue, Attributes } from '@opentelemetry/api';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { log, safe } from '../diag.js';

/**
 * Called for every attribute of every span and span event before it leaves the SDK (exporter
 * and DevTools). Return the value to keep, a replacement, or `undefined` to remove the attribute.
 */
export type RedactAttribute = (key: string, value: AttributeValue, span: { readonly name: string }) => AttributeValue | undefined;

/** Header-like keys that are never exported, whatever the hook says. */
const ALWAYS_REMOVED = /(^|\.)(authorization|cookie|set_cookie|set-cookie|proxy[-_]authorization)$/i;

/** Query parameters that carry the prompt itself in GET chat APIs (e.g. `?message=` for EventSource). */
const CONTENT_PARAMS = new Set(['message', 'messages', 'prompt', 'q', 'query', 'input', 'text', 'content', 'question']);
const URL_KEYS = new Set(['url.full', 'http.url', 'url.query']);

/** Without `captureContent`, the values of content-carrying query parameters leave as `REDACTED`. */
export function redactContentParams(value: string): string {
  const q = value.indexOf('?');
  if (q < 0) return value;
  const hash = value.indexOf('#', q);
  const query = value.slice(q + 1, hash < 0 ? undefined : hash);
  let changed = false;
  const parts = query.split('&').map((part) => {
    const eq = part.indexOf('=');
    let key = eq < 0 ? part : part.slice(0, eq);
    try {
      key = decodeURIComponent(key.replace(/\+/g, ' '));
    } catch {
      // keep the raw key
    }
    if (eq < 0 || !CONTENT_PARAMS.has(key.toLowerCase())) return part;
    changed = true;
    return `${part.slice(0, eq)}=REDACTED`;
  });
  return changed ? `${value.slice(0, q + 1)}${parts.join('&')}${hash < 0 ? '' : value.slice(hash)}` : value;
}

function redactAll(attributes: Attributes, span: { readonly name: string }, hook: RedactAttribute | undefined, content: boolean): void {
  for (const key of Object.keys(attributes)) {
    let value = attributes[key];
    if (value === undefined) continue;
    if (ALWAYS_REMOVED.test(key)) {
      delete attributes[key];
      continue;
    }
    if (!content && typeof value === 'string' && URL_KEYS.has(key)) {
      value = redactContentParams(value);
      attributes[key] = value;
    }
    if (hook === undefined) continue;
    let next: AttributeValue | undefined;
    try {
      next = hook(key, value, span);
    } catch (error) {
      // Fail closed: an attribute the hook could not judge is not exported.
      log.warn(`redactAttribute threw for ${key}; attribute removed`, error);
      next = undefined;
    }
    if (next === undefined) delete attributes[key];
    else if (next !== value) attributes[key] = next;
  }
}

/** Applies the redaction to ended spans; runs before every other processor's `onEnd`. */
export function redactionProcessor(hook: RedactAttribute | undefined, captureContent: boolean): Pick<SpanProcessor, 'onEnd'> {
  return {
    onEnd(span) {
      safe('redaction', () => {
        // An ended span's attribute objects are still plain objects: edit them in place.
        redactAll(span.attributes as Attributes, span, hook, captureContent);
        for (const event of span.events) if (event.attributes) redactAll(event.attributes as Attributes, span, hook, captureContent);
      });
    },
  };
}
