import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * `RequestIdsSpanProcessor` copies session/message ids from baggage onto every span. It is an
 * optional export of `@streamtrace/node`; without it the gateway still sets the ids itself.
 */
export async function loadRequestIdsProcessor(): Promise<SpanProcessor | undefined> {
  try {
    // A variable specifier: the export is optional, so its absence must not fail type-checking.
    const specifier = '@streamtrace/node';
    const mod = (await import(specifier)) as Record<string, unknown>;
    const Processor = mod['RequestIdsSpanProcessor'];
    if (typeof Processor !== 'function') return undefined;
    return new (Processor as new () => SpanProcessor)();
  } catch {
    return undefined;
  }
}
