import * as real from '@opentelemetry/api';
import type { Context, ContextManager, DiagLogger, Span, SpanContext } from '@opentelemetry/api';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as lite from './api-lite.js';

const KEY = Symbol.for('opentelemetry.js.api.1');
const registry = globalThis as unknown as Record<symbol, Record<string, unknown> | undefined>;

/** A synchronous context manager, as an app would register through its own copy of the api. */
class StackManager implements ContextManager {
  current: Context = real.ROOT_CONTEXT;
  active(): Context {
    return this.current;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    const previous = this.current;
    this.current = ctx;
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.current = previous;
    }
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    return this;
  }
}

const sc = (traceId: string, spanId: string): SpanContext => ({ traceId, spanId, traceFlags: 1 });
const SC = sc('0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331');

afterEach(() => {
  real.diag.disable();
  real.context.disable();
  delete registry[KEY];
});

/** Every value our bundled sources import from '@opentelemetry/api', and the members they use of it. */
function usedApi(): { imports: Set<string>; members: Set<string> } {
  const srcDir = import.meta.dirname;
  const files = readdirSync(srcDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !/\.test(-helpers)?\.ts$/.test(f) && f !== 'api-lite.ts' && f !== 'zone.ts');
  const imports = new Set<string>();
  const members = new Set<string>();
  for (const file of files) {
    const source = readFileSync(join(srcDir, file), 'utf8');
    for (const [, list] of source.matchAll(/^import\s+(?!type\s)\{([^}]*)\}\s+from\s+'@opentelemetry\/api';/gm)) {
      for (const item of list!.split(',').map((s) => s.trim()).filter((s) => s && !s.startsWith('type '))) {
        const [name, local = name] = item.split(/\s+as\s+/) as [string, string?];
        imports.add(name);
        for (const [, member] of source.matchAll(new RegExp(`\\b${local}\\.(\\w+)`, 'g'))) members.add(`${name}.${member}`);
      }
    }
  }
  return { imports, members };
}

describe('api-lite (the script tag’s @opentelemetry/api)', () => {
  it('has every value and member the bundled sources use (the build checks imports; this checks members)', () => {
    const { imports, members } = usedApi();
    expect(imports.has('trace') && members.has('trace.setSpan')).toBe(true);
    const enums = new Set(['SpanKind', 'SpanStatusCode', 'TraceFlags']); // written as numbers by the build
    const missing = [...members].filter((m) => {
      const [name, member] = m.split('.') as [string, string];
      return !enums.has(name) && typeof (lite as Record<string, unknown>)[name] === 'object' && !(member in ((lite as Record<string, Record<string, unknown>>)[name] ?? {}));
    });
    expect(missing).toEqual([]);
    expect([...imports].filter((name) => !(name in lite))).toEqual([]);
  });


  it('with nothing registered: the root context', () => {
    expect(lite.context.active()).toBe(lite.ROOT_CONTEXT);
    expect(lite.trace.getSpan(lite.context.active())).toBeUndefined();
  });

  it('uses the context manager the app registered through the real api, both ways', () => {
    const manager = new StackManager();
    expect(real.context.setGlobalContextManager(manager)).toBe(true);
    const span = real.trace.wrapSpanContext(SC);
    real.context.with(real.trace.setSpan(real.context.active(), span), () => {
      expect(lite.trace.getSpan(lite.context.active())).toBe(span);
      expect(lite.trace.getSpanContext(lite.context.active())).toBe(SC);
    });
    const liteSpan = lite.trace.wrapSpanContext(SC);
    real.context.with(lite.trace.setSpan(lite.ROOT_CONTEXT, liteSpan), () => {
      expect(real.trace.getSpan(real.context.active())).toBe(liteSpan);
      expect(lite.trace.getSpan(lite.context.active())).toBe(liteSpan);
      expect(real.trace.getSpan(real.trace.deleteSpan(real.context.active()))).toBeUndefined();
    });
    expect(lite.trace.getSpan(lite.context.active())).toBeUndefined();
  });

  it('ignores a registry of an incompatible version, as the real api 1.9.0 does', () => {
    for (const version of ['1.8.0', '2.0.0', '1.9.0-rc.1', 'x']) {
      const manager = new StackManager();
      manager.current = real.trace.setSpan(real.ROOT_CONTEXT, real.trace.wrapSpanContext(SC));
      registry[KEY] = { version, context: manager };
      expect(lite.trace.getSpan(lite.context.active())).toBe(real.trace.getSpan(real.context.active()));
      expect(lite.trace.getSpan(lite.context.active())).toBeUndefined();
    }
    const manager = new StackManager();
    manager.current = lite.trace.setSpan(lite.ROOT_CONTEXT, lite.trace.wrapSpanContext(SC));
    registry[KEY] = { version: '1.10.2', context: manager };
    expect(lite.trace.getSpanContext(lite.context.active())).toBe(SC);
    expect(real.trace.getSpanContext(real.context.active())).toBe(SC);
  });

  it('contexts are immutable: setting or deleting a value returns a new context', () => {
    const withSpan = lite.trace.setSpan(lite.ROOT_CONTEXT, lite.trace.wrapSpanContext(SC));
    expect(lite.trace.getSpan(lite.ROOT_CONTEXT)).toBeUndefined();
    const key = Symbol('k');
    const both = withSpan.setValue(key, 1);
    expect(withSpan.getValue(key)).toBeUndefined();
    expect(lite.trace.getSpanContext(lite.trace.deleteSpan(both))).toBeUndefined();
    expect(lite.trace.deleteSpan(both).getValue(key)).toBe(1);
    expect(lite.trace.getSpanContext(both)).toBe(SC);
  });

  it('isSpanContextValid agrees with the real api', () => {
    const cases = [
      SC,
      sc('0AF7651916CD43DD8448EB211C80319C', 'B7AD6B7169203331'),
      sc('00000000000000000000000000000000', 'b7ad6b7169203331'),
      sc('0af7651916cd43dd8448eb211c80319c', '0000000000000000'),
      sc('0af7651916cd43dd8448eb211c80319', 'b7ad6b7169203331'),
      sc('0af7651916cd43dd8448eb211c80319cc', 'b7ad6b7169203331'),
      sc('0af7651916cd43dd8448eb211c80319g', 'b7ad6b7169203331'),
      sc('0af7651916cd43dd8448eb211c80319c', 'b7ad6b716920333'),
      sc('', ''),
      // Characters next to the hex ranges, and ones whose code differs from a digit or letter by one bit.
      sc('0af7651916cd43dd8448eb211c80319c', 'b7ad6b716920333\u0011'),
      sc('0af7651916cd43dd8448eb211c80319c', 'b7ad6b716920333/'),
      sc('0af7651916cd43dd8448eb211c80319c', 'b7ad6b716920333:'),
      sc('0af7651916cd43dd8448eb211c80319c', 'b7ad6b716920333@'),
      sc('0af7651916cd43dd8448eb211c80319c', 'b7ad6b716920333`'),
      sc('0af7651916cd43dd8448eb211c80319c', 'b7ad6b716920333G'),
      sc('0af7651916cd43dd8448eb211c80319\u0143', 'b7ad6b7169203331'),
      sc('0af7651916cd43dd8448eb211c80319c\n', 'b7ad6b7169203331'),
    ];
    const verdicts = cases.map((c) => lite.trace.isSpanContextValid(c));
    expect(verdicts).toEqual(cases.map((c) => real.trace.isSpanContextValid(c)));
    expect(verdicts.filter(Boolean)).toHaveLength(2);
  });

  it('a wrapped span context is a no-op span that keeps its context', () => {
    const span: Span = lite.trace.wrapSpanContext(SC);
    const reference = real.trace.wrapSpanContext(SC);
    expect(span.spanContext()).toBe(SC);
    expect(span.isRecording()).toBe(reference.isRecording());
    for (const chained of [span.setAttribute('a', 1), span.setAttributes({}), span.addEvent('e'), span.addLink({ context: SC }), span.addLinks([]), span.setStatus({ code: 2 }), span.updateName('n')]) expect(chained).toBe(span);
    expect(span.end()).toBeUndefined();
    expect(span.recordException(new Error('x'))).toBeUndefined();
  });

  it('component logger: each level reaches the diag logger registered through the real api, namespace first', () => {
    const calls: unknown[][] = [];
    const logger = Object.fromEntries(['error', 'warn', 'info', 'debug', 'verbose'].map((level) => [level, (...args: unknown[]) => calls.push([level, ...args])])) as unknown as DiagLogger;
    const liteLog = lite.diag.createComponentLogger({ namespace: 'streamtrace' });
    liteLog.warn('before any logger');
    expect(calls).toEqual([]);
    real.diag.setLogger(logger, real.DiagLogLevel.ALL);
    calls.length = 0; // the api's own 'registered a global' debug line
    const realLog = real.diag.createComponentLogger({ namespace: 'streamtrace' });
    const error = new Error('boom');
    for (const log of [realLog, liteLog]) {
      log.error('e', error);
      log.warn('w');
      log.info('i');
      log.debug('d', 1);
      log.verbose('v');
    }
    expect(calls).toHaveLength(10);
    expect(calls.slice(5)).toEqual(calls.slice(0, 5));
    expect(calls[0]).toEqual(['error', 'streamtrace', 'e', error]);
  });
});
