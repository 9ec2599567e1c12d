import type { Context, ContextManager, DiagLogger, Span, SpanContext } from '@opentelemetry/api';

/**
 * The part of `@opentelemetry/api` 1.x the SDK uses, for the script-tag build only (sdk/build.mjs
 * aliases the package to this file there; npm users get the real package). It shares the real API's
 * global registry (`Symbol.for('opentelemetry.js.api.1')`) and context keys (`Symbol.for(name)`),
 * so a context manager or diag logger that any copy of the API registered on the page is used, and
 * contexts and spans pass between them unchanged. What it leaves out: registering globals, tracer
 * and meter providers, propagation, and the semver check of the registered version (any 1.x is
 * used; the 1.x interfaces only grew).
 */
const SPAN_KEY = Symbol.for('OpenTelemetry Context Key SPAN');
const registry = (): { context?: ContextManager; diag?: DiagLogger } | undefined =>
  (globalThis as Record<symbol, { context?: ContextManager; diag?: DiagLogger } | undefined>)[Symbol.for('opentelemetry.js.api.1')];

class BaseContext implements Context {
  private readonly values: Map<symbol, unknown>;
  constructor(parent?: Map<symbol, unknown>) {
    this.values = new Map(parent);
  }
  getValue(key: symbol): unknown {
    return this.values.get(key);
  }
  setValue(key: symbol, value: unknown): Context {
    const next = new BaseContext(this.values);
    next.values.set(key, value);
    return next;
  }
  deleteValue(key: symbol): Context {
    const next = new BaseContext(this.values);
    next.values.delete(key);
    return next;
  }
}

export const ROOT_CONTEXT: Context = new BaseContext();

export const context = {
  active: (): Context => registry()?.context?.active() ?? ROOT_CONTEXT,
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    const manager = registry()?.context;
    return manager ? manager.with(ctx, fn, thisArg, ...args) : fn.call(thisArg, ...args);
  },
};

const validId = (id: string, length: number): boolean => id.length === length && /^[0-9a-f]+$/i.test(id) && !/^0+$/.test(id);

/** The API's NonRecordingSpan: carries a span context, records nothing. */
function wrapSpanContext(spanContext: SpanContext): Span {
  const span = { spanContext: () => spanContext, isRecording: () => false, end() {}, recordException() {} } as unknown as Record<string, unknown>;
  for (const method of ['setAttribute', 'setAttributes', 'addEvent', 'addLink', 'addLinks', 'setStatus', 'updateName']) span[method] = () => span;
  return span as unknown as Span;
}

const getSpan = (ctx: Context): Span | undefined => (ctx.getValue(SPAN_KEY) as Span | undefined) || undefined;
const setSpan = (ctx: Context, span: Span): Context => ctx.setValue(SPAN_KEY, span);

export const trace = {
  getSpan,
  setSpan,
  getActiveSpan: (): Span | undefined => getSpan(context.active()),
  deleteSpan: (ctx: Context): Context => ctx.deleteValue(SPAN_KEY),
  getSpanContext: (ctx: Context): SpanContext | undefined => getSpan(ctx)?.spanContext(),
  setSpanContext: (ctx: Context, spanContext: SpanContext): Context => setSpan(ctx, wrapSpanContext(spanContext)),
  wrapSpanContext,
  isSpanContextValid: (sc: SpanContext): boolean => validId(sc.traceId, 32) && validId(sc.spanId, 16),
};

/** What `diag` is used for: component loggers that write to the page's registered diag logger, if any. */
export const diag = {
  createComponentLogger({ namespace }: { namespace: string }): DiagLogger {
    const logger: Record<string, (...args: unknown[]) => void> = {};
    for (const level of ['error', 'warn', 'info', 'debug', 'verbose'] as const) logger[level] = (...args) => registry()?.diag?.[level](namespace, ...args);
    return logger as unknown as DiagLogger;
  },
};

export const SpanKind = { INTERNAL: 0, SERVER: 1, CLIENT: 2, PRODUCER: 3, CONSUMER: 4 } as const;
export const SpanStatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;
export const TraceFlags = { NONE: 0, SAMPLED: 1 } as const;
