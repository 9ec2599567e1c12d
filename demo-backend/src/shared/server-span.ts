import { SpanKind, trace } from '@opentelemetry/api';

/**
 * instrumentation-http names server spans by method only ("POST"); once the route is known,
 * give the active server span the semantic-convention name `{method} {route}` and `http.route`.
 */
export function nameServerSpan(method: string | undefined, route: string): void {
  const span = trace.getActiveSpan();
  if (!span || !span.isRecording()) return;
  // Only touch the span instrumentation-http started for this request, not one of ours.
  if ((span as unknown as { kind?: SpanKind }).kind !== SpanKind.SERVER) return;
  span.setAttribute('http.route', route);
  span.updateName(`${method ?? 'GET'} ${route}`);
}
