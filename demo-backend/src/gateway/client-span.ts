import { SpanStatusCode } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { CancelledError, UpstreamError } from './upstream-error.js';

/** Records how an upstream call ended on its CLIENT span and ends it (call once). */
export function endClientSpan(span: Span, error?: unknown): void {
  if (error === undefined) {
    span.setAttribute('streamtrace.stream.outcome', 'complete');
  } else if (error instanceof CancelledError) {
    span.setAttribute('streamtrace.stream.outcome', 'cancel');
    span.addEvent('stream.cancel', { 'streamtrace.cancel.reason': error.message });
  } else {
    const type = errorType(error);
    span.setAttributes({ 'streamtrace.stream.outcome': 'error', 'error.type': type });
    if (error instanceof Error) span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
  span.end();
}

export function errorType(error: unknown): string {
  if (error instanceof UpstreamError) return error.type;
  if (error instanceof Error && error.name && error.name !== 'Error') return error.name;
  return '_OTHER';
}

/** `server.address` / `server.port` of an upstream URL. */
export function serverAttributes(url: string): { 'server.address': string; 'server.port': number } {
  const parsed = new URL(url);
  const port = parsed.port !== '' ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
  return { 'server.address': parsed.hostname, 'server.port': port };
}
