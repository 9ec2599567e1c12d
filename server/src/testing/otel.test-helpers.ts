import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { RequestIdsSpanProcessor } from '../ids/span-processor.js';

export interface TestTracing {
  exporter: InMemorySpanExporter;
  provider: NodeTracerProvider;
  spans(name?: string): ReadableSpan[];
}

/** Registers a real Node tracer provider (AsyncLocalStorage context, W3C propagators) for one test file. */
export function registerTestTracing(): TestTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({
    spanProcessors: [new RequestIdsSpanProcessor(), new SimpleSpanProcessor(exporter)],
    spanLimits: { eventCountLimit: 512 },
  });
  provider.register();
  return {
    exporter,
    provider,
    spans: (name) => exporter.getFinishedSpans().filter((s) => name === undefined || s.name === name),
  };
}

/** Resolves when `check` returns a value (polls; for spans that end on a socket close). */
export async function waitFor<T>(check: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const BROWSER_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
export const BROWSER_SPAN_ID = '00f067aa0ba902b7';
export const BROWSER_TRACEPARENT = `00-${BROWSER_TRACE_ID}-${BROWSER_SPAN_ID}-01`;
