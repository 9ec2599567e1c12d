import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * `RequestIdsSpanProcessor` of `@streamtrace/node` copies session/message ids from baggage onto
 * every span, so retrieval and HTTP client spans carry them too. Loaded lazily: register.js
 * must not import application-side packages before the ESM hook is in place.
 */
export async function loadRequestIdsProcessor(): Promise<SpanProcessor> {
  const { RequestIdsSpanProcessor } = await import('@streamtrace/node');
  return new RequestIdsSpanProcessor() as unknown as SpanProcessor;
}
