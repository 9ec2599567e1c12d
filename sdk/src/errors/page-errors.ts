import type { Attributes, Span } from '@opentelemetry/api';
import { guard } from '../diag.js';
import { exceptionAttributes } from './exception-attributes.js';

/** `exception` events recorded per message span; later errors of that message are not recorded. */
export const MAX_ERRORS_PER_MESSAGE = 20;

/**
 * While a message is current, uncaught errors (`error` on window) and unhandled rejections
 * (`unhandledrejection`) become `exception` events on its `chat.message` span (with
 * `streamtrace.exception.source` = `error` / `unhandledrejection`). Listeners are passive: the
 * browser's own handling (console report, `onerror`, `preventDefault` by the app) is unchanged.
 * Returns the function that removes them.
 */
export function watchPageErrors(target: Pick<Window, 'addEventListener' | 'removeEventListener'>, currentSpan: () => Span | undefined): () => void {
  const counts = new WeakMap<Span, number>();
  const record = (source: string, attributes: Attributes): void => {
    const span = currentSpan();
    if (!span?.isRecording()) return;
    const count = counts.get(span) ?? 0;
    if (count >= MAX_ERRORS_PER_MESSAGE) return;
    counts.set(span, count + 1);
    span.addEvent('exception', { ...attributes, 'streamtrace.exception.source': source });
  };
  const onError = guard('page error listener', (event: Event) => {
    const e = event as ErrorEvent;
    // Resource load failures do not bubble to window; only script errors reach this listener.
    if (typeof ErrorEvent === 'function' && !(event instanceof ErrorEvent)) return;
    const attributes = exceptionAttributes(e.error ?? undefined, typeof e.message === 'string' ? e.message : undefined);
    if (e.error == null) attributes['exception.type'] = 'Error';
    record('error', attributes);
  });
  const onRejection = guard('unhandledrejection listener', (event: Event) => {
    record('unhandledrejection', exceptionAttributes((event as PromiseRejectionEvent).reason));
  });
  target.addEventListener('error', onError);
  target.addEventListener('unhandledrejection', onRejection);
  return () => {
    target.removeEventListener('error', onError);
    target.removeEventListener('unhandledrejection', onRejection);
  };
}
