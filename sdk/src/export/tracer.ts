import { TraceFlags, context as apiContext, trace, type Context, type Span as ApiSpan, type SpanOptions, type Tracer } from '@opentelemetry/api';
import { SamplingDecision, type ReadableSpan, type Sampler, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { RecordingSpan, sanitize, type SpanOrigin } from './span.js';
import { safe } from '../diag.js';

/** `@opentelemetry/core`'s suppressTracing key (api context keys are `Symbol.for(description)`). */
const SUPPRESS_TRACING = Symbol.for('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

/** Random lower-case hex id of `bytes` bytes, never all zeros (invalid in W3C trace context). */
export function randomId(bytes: number): string {
  const random = new Uint8Array(bytes);
  do {
    crypto.getRandomValues(random);
  } while (random.every((b) => b === 0));
  return Array.from(random, (b) => (b < 16 ? '0' : '') + b.toString(16)).join('');
}

/** A span processor as the provider calls it: the hooks a processor has no use for may be left out. */
export type ProcessorHooks = Partial<Pick<SpanProcessor, 'onStart' | 'onEnd' | 'forceFlush' | 'shutdown'>>;

/** Calls every processor in order; one that throws never stops the others or the page. (None of the SDK's processors has `onEnding`.) */
function fanOut(processors: ProcessorHooks[]): Pick<SpanProcessor, 'onStart' | 'onEnd'> {
  const each = (hook: 'onStart' | 'onEnd') => (...args: unknown[]): void => {
    for (const p of processors) safe(`span processor ${hook}`, () => (p[hook] as ((...a: unknown[]) => void) | undefined)?.apply(p, args));
  };
  return { onStart: each('onStart'), onEnd: each('onEnd') };
}

/** The part of an OpenTelemetry `Tracer` the SDK uses (it never makes spans active itself). */
export type SpanTracer = Pick<Tracer, 'startSpan'>;

export interface TracerProviderOptions {
  resource: Record<string, string | number | boolean>;
  sampler: Sampler;
  spanProcessors: ProcessorHooks[];
}

export interface TracerProvider {
  getTracer(name: string, version?: string): SpanTracer;
  forceFlush(): Promise<unknown>;
  shutdown(): Promise<unknown>;
}

/**
 * A tracer provider with `@opentelemetry/sdk-trace`'s `startSpan` semantics (parent from the
 * context, `root`, suppressed tracing, the sampler's decision, attributes and trace state;
 * NOT_RECORD gives a non-recording span that still propagates) and nothing else: the SDK never
 * registers it globally, so its spans are only ours.
 */
export function createTracerProvider(options: TracerProviderOptions): TracerProvider {
  const processors = fanOut(options.spanProcessors);
  // Only `attributes` (and an absent schemaUrl) is read from a span's resource: by the OTLP encoder.
  const spanResource = { attributes: { ...options.resource } } as unknown as ReadableSpan['resource'];
  return {
    getTracer(name, version) {
      const origin: SpanOrigin = { resource: spanResource, instrumentationScope: { name, version }, processor: processors };
      const startSpan = (spanName: string, spanOptions: SpanOptions = {}, ctx: Context = apiContext.active()): ApiSpan => {
        if (spanOptions.root) ctx = trace.deleteSpan(ctx);
        const parent = trace.getSpanContext(ctx);
        const validParent = parent !== undefined && trace.isSpanContextValid(parent) ? parent : undefined;
        const traceId = validParent?.traceId ?? randomId(16);
        const kind = spanOptions.kind ?? 0;
        const links = (spanOptions.links ?? []).map((link) => ({ context: link.context, attributes: sanitize(link.attributes)[0] }));
        const [attributes] = sanitize(spanOptions.attributes);
        const spanId = randomId(8);
        if (ctx.getValue(SUPPRESS_TRACING) === true) return trace.wrapSpanContext({ traceId, spanId, traceFlags: TraceFlags.NONE });
        const result = options.sampler.shouldSample(ctx, traceId, spanName, kind, attributes, links);
        const spanContext = { traceId, spanId, traceFlags: result.decision === SamplingDecision.RECORD_AND_SAMPLED ? TraceFlags.SAMPLED : TraceFlags.NONE, traceState: result.traceState ?? validParent?.traceState };
        if (result.decision === SamplingDecision.NOT_RECORD) return trace.wrapSpanContext(spanContext);
        const span = new RecordingSpan(origin, spanName, kind, spanContext, validParent, spanOptions.startTime, links, { ...attributes, ...result.attributes });
        processors.onStart(span, ctx);
        return span;
      };
      return { startSpan };
    },
    forceFlush: () => Promise.all(options.spanProcessors.map((p) => p.forceFlush?.())),
    shutdown: () => Promise.all(options.spanProcessors.map((p) => p.shutdown?.())),
  };
}
