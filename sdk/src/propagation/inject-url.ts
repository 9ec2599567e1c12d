import type { ContextValues } from './context-values.js';

/** Adds `traceparent`, `tracestate`, `session_id`, `message_id` query parameters unless present. */
export function injectUrlParams(url: URL, values: ContextValues): URL {
  const out = new URL(url.href);
  const params: [string, string | undefined][] = [
    ['traceparent', values.traceparent],
    ['tracestate', values.tracestate],
    ['session_id', values.sessionId],
    ['message_id', values.messageId],
  ];
  for (const [name, value] of params) {
    if (value !== undefined && !out.searchParams.has(name)) out.searchParams.append(name, value);
  }
  return out;
}
