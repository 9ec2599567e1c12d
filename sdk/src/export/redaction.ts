import type { AttributeValue, Attributes, Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { log } from '../diag.js';

/**
 * Called for every attribute of every span and span event before it leaves the SDK (exporter
 * and DevTools). Return the value to keep, a replacement, or `undefined` to remove the attribute.
 */
export type RedactAttribute = (key: string, value: AttributeValue, span: { readonly name: string }) => AttributeValue | undefined;

/** Header-like keys that are never exported, whatever the hook says. */
const ALWAYS_REMOVED = /(^|\.)(authorization|cookie|set_cookie|set-cookie|proxy[-_]authorization)$/i;

function redactAll(attributes: Attributes, span: { readonly name: string }, hook: RedactAttribute | undefined): void {
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value === undefined) continue;
    if (ALWAYS_REMOVED.test(key)) {
      delete attributes[key];
      continue;
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
export class RedactionProcessor implements SpanProcessor {
  constructor(private readonly hook: RedactAttribute | undefined) {}

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    try {
      // An ended span's attribute objects are still plain objects: edit them in place.
      redactAll(span.attributes as Attributes, span, this.hook);
      for (const event of span.events) if (event.attributes) redactAll(event.attributes as Attributes, span, this.hook);
    } catch (error) {
      log.warn('redaction failed', error);
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
