import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as real from '@opentelemetry/api';
import { StackContextManager } from '@opentelemetry/sdk-trace-web';
import * as slice from './api-slice.js';

const sc = (traceId: string, spanId: string): real.SpanContext => ({ traceId, spanId, traceFlags: 1 });

afterEach(() => {
  real.context.disable();
  real.diag.disable();
});

const SRC = join(__dirname, '..');
const sources = (readdirSync(SRC, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !/(^|\/)(zone|export\/api-slice)\.ts$/.test(f));

describe('api slice (what the builds use instead of @opentelemetry/api)', () => {
  it('has every value and member of @opentelemetry/api that the SDK sources use', () => {
    const missing: string[] = [];
    for (const file of sources) {
      const text = readFileSync(join(SRC, file), 'utf8');
      const imported = /import\s*\{([^}]*)\}\s*from\s*'@opentelemetry\/api'/.exec(text)?.[1] ?? '';
      for (const spec of imported.split(',').map((s) => s.trim()).filter((s) => s !== '' && !s.startsWith('type '))) {
        const [name, local = name] = spec.split(/\s+as\s+/) as [string, string?];
        if (!(name in slice)) missing.push(`${file}: ${name}`);
        const target = (slice as Record<string, unknown>)[name] as Record<string, unknown> | undefined;
        for (const [, member] of text.matchAll(new RegExp(`\\b${local}\\.(\\w+)`, 'g'))) {
          if (target === undefined || !(member! in target)) missing.push(`${file}: ${name}.${member}`);
        }
      }
    }
    expect(sources.length).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });

  it('uses the context manager registered through the real API, and ROOT without one', () => {
    expect(slice.context.active().getValue(Symbol.for('OpenTelemetry Context Key SPAN'))).toBeUndefined();
    expect(slice.context.with(slice.ROOT_CONTEXT, (a: number, b: number) => a + b, undefined, 1, 2)).toBe(3);

    real.context.setGlobalContextManager(new StackContextManager().enable());
    const span = slice.trace.wrapSpanContext(sc('0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331'));
    const seen = slice.context.with(slice.trace.setSpan(slice.ROOT_CONTEXT, span), () => [slice.trace.getActiveSpan(), real.trace.getActiveSpan()]);
    expect(seen).toEqual([span, span]);
    real.context.with(real.trace.setSpan(real.ROOT_CONTEXT, span), () => expect(slice.trace.getSpan(slice.context.active())).toBe(span));
  });

  it('trace helpers agree with the real API, across contexts made by either', () => {
    const span = real.trace.wrapSpanContext(sc('0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331'));
    expect(slice.trace.getSpan(real.trace.setSpan(real.ROOT_CONTEXT, span))).toBe(span);
    expect(real.trace.getSpan(slice.trace.setSpan(slice.ROOT_CONTEXT, span))).toBe(span);
    expect(real.trace.getSpan(slice.trace.deleteSpan(real.trace.setSpan(real.ROOT_CONTEXT, span)))).toBeUndefined();
    const ctx = slice.trace.setSpanContext(slice.ROOT_CONTEXT, span.spanContext());
    expect(real.trace.getSpanContext(ctx)).toEqual(span.spanContext());
    expect(slice.trace.getSpanContext(ctx)).toEqual(span.spanContext());
    const wrapped = slice.trace.wrapSpanContext(span.spanContext());
    expect([wrapped.isRecording(), wrapped.setAttribute('a', 1), wrapped.spanContext()]).toEqual([false, wrapped, span.spanContext()]);
    for (const [t, s] of [
      ['0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331'],
      ['0AF7651916CD43DD8448EB211C80319C', 'B7AD6B7169203331'],
      ['00000000000000000000000000000000', 'b7ad6b7169203331'],
      ['0af7651916cd43dd8448eb211c80319c', '0000000000000000'],
      ['0af7651916cd43dd8448eb211c80319', 'b7ad6b7169203331'],
      ['0af7651916cd43dd8448eb211c80319g', 'b7ad6b7169203331'],
      ['', ''],
    ] as const) {
      expect(slice.trace.isSpanContextValid(sc(t, s))).toBe(real.trace.isSpanContextValid(sc(t, s)));
    }
    expect([slice.SpanKind.CLIENT, slice.SpanStatusCode.ERROR, slice.TraceFlags.SAMPLED]).toEqual([real.SpanKind.CLIENT, real.SpanStatusCode.ERROR, real.TraceFlags.SAMPLED]);
  });

  it('logs to the diag logger the page registered, with the component namespace first, as the real component logger does', () => {
    const lines: unknown[][] = [];
    const log = slice.diag.createComponentLogger({ namespace: 'streamtrace' });
    log.warn('before any logger');
    const logger = { error: (...a: unknown[]) => lines.push(['error', ...a]), warn: (...a: unknown[]) => lines.push(['warn', ...a]), info: () => {}, debug: (...a: unknown[]) => lines.push(['debug', ...a]), verbose: () => {} };
    real.diag.setLogger(logger, real.DiagLogLevel.WARN);
    log.warn('export failed', 42);
    log.debug('below the level');
    real.diag.createComponentLogger({ namespace: 'streamtrace' }).error('real');
    expect(lines).toEqual([['warn', 'streamtrace', 'export failed', 42], ['error', 'streamtrace', 'real']]);
  });
});
