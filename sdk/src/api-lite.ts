import type { Context, ContextAPI, DiagAPI, DiagLogger, Span, SpanContext, TraceAPI } from '@opentelemetry/api';

/**
 * The part of `@opentelemetry/api` 1.9 the SDK uses, speaking the same global registry
 * (`Symbol.for('opentelemetry.js.api.1')`, version check, context keys) as the app's own copy: a
 * context manager or diag logger registered there is used here, and contexts and spans pass both
 * ways. sdk/build.mjs puts it in place of the package in the script tag and the ESM build (-1.8 KiB
 * gzip, -2.3 KiB in an app bundling the ESM). api-lite.test.ts checks it against the real one, and
 * that every member our sources use is here; esm-build.test.ts checks the built package next to an
 * app's own copy of the API.
 */
const KEY = Symbol.for('opentelemetry.js.api.1');
const SPAN_KEY = Symbol.for('OpenTelemetry Context Key SPAN');

/** What the real api 1.9.0 accepts from the registry: 1.x with x ≥ 9, no prerelease. */
function registered<T>(type: string): T | undefined {
  const api = (globalThis as Record<symbol, Record<string, unknown> | undefined>)[KEY];
  const match = /^1\.(\d+)\.\d+$/.exec(String(api?.version));
  return match && +match[1]! >= 9 ? (api![type] as T | undefined) : undefined;
}

/** An immutable context: setting or deleting a value gives a new one (as the real api's BaseContext). */
const contextOf = (values: Map<symbol, unknown>): Context => ({
  getValue: (key) => values.get(key),
  setValue: (key, value) => contextOf(new Map(values).set(key, value)),
  deleteValue: (key) => {
    const next = new Map(values);
    next.delete(key);
    return contextOf(next);
  },
});

export const ROOT_CONTEXT: Context = contextOf(new Map());

/** The active context: the registered context manager's, else the root context (the real api's no-op manager). */
export const context: Pick<ContextAPI, 'active'> = {
  active: () => {
    const manager = registered<Pick<ContextAPI, 'active'>>('context');
    return manager ? manager.active() : ROOT_CONTEXT;
  },
};

class NonRecordingSpan implements Span {
  // A plain (build-mangled) property: a `#private` field costs consumers' es2020 bundles WeakMap helpers.
  constructor(private readonly ownSpanContext: SpanContext) {}
  spanContext(): SpanContext {
    return this.ownSpanContext;
  }
  setAttribute(): this {
    return this;
  }
  setAttributes(): this {
    return this;
  }
  addEvent(): this {
    return this;
  }
  addLink(): this {
    return this;
  }
  addLinks(): this {
    return this;
  }
  setStatus(): this {
    return this;
  }
  updateName(): this {
    return this;
  }
  end(): void {}
  isRecording(): boolean {
    return false;
  }
  recordException(): void {}
}

// The pattern first: it reads any value as a string (as the real api's check does), `.length` only then.
const isValid = (id: string, length: number): boolean => /^[\da-f]+$/i.test(id) && id.length === length && !/^0+$/.test(id);
const getSpan = (ctx: Context): Span | undefined => (ctx.getValue(SPAN_KEY) as Span | undefined) || undefined;
const setSpan = (ctx: Context, span: Span): Context => ctx.setValue(SPAN_KEY, span);
const wrapSpanContext = (spanContext: SpanContext): Span => new NonRecordingSpan(spanContext);

export const trace: Pick<TraceAPI, 'getSpan' | 'setSpan' | 'deleteSpan' | 'getSpanContext' | 'isSpanContextValid' | 'wrapSpanContext'> = {
  getSpan,
  setSpan,
  deleteSpan: (ctx) => ctx.deleteValue(SPAN_KEY),
  getSpanContext: (ctx) => getSpan(ctx)?.spanContext(),
  isSpanContextValid: (spanContext) => isValid(spanContext.traceId, 32) && isValid(spanContext.spanId, 16),
  wrapSpanContext,
};

const LEVELS = ['error', 'warn', 'info', 'debug', 'verbose'] as const;

/** Like the real component logger: each call goes to the diag logger registered at that moment, namespace first. */
export const diag: Pick<DiagAPI, 'createComponentLogger'> = {
  createComponentLogger: ({ namespace }) =>
    Object.fromEntries(LEVELS.map((level) => [level, (...args: unknown[]) => registered<DiagLogger>('diag')?.[level](namespace, ...args)])) as unknown as DiagLogger,
};

// Enum members are written as numbers by sdk/build.mjs; these keep the importers' named imports resolvable.
export { SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
