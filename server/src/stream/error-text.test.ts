import { SpanStatusCode } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { registerTestTracing } from '../testing/otel.test-helpers.js';
import { MAX_ERROR_TEXT, errorName, errorText } from './error-text.js';
import { startStreamSpan } from './stream-span.js';

const tracing = registerTestTracing();

function throwingMessage(): Error {
  const error = new TypeError('unused');
  Object.defineProperty(error, 'message', {
    get() {
      throw new Error('getter');
    },
  });
  return error;
}

describe('errorText / errorName', () => {
  it('never throw, whatever was rejected', () => {
    expect(errorText(Object.create(null))).toBe('[object Object]');
    expect(errorText(throwingMessage())).toBe('[object Error]');
    expect(errorText(Symbol('s'))).toBe('Symbol(s)');
    expect(errorText(undefined)).toBe('undefined');
    expect(errorText('x'.repeat(5000))).toHaveLength(MAX_ERROR_TEXT);
    expect(errorName(throwingMessage())).toBe('TypeError');
    expect(errorName(Object.create(null))).toBe('_OTHER');
  });
});

describe('startStreamSpan with hostile error values', () => {
  it('fail() with a null-prototype object or a throwing getter still ends the span as error', () => {
    for (const value of [Object.create(null) as unknown, throwingMessage()]) {
      tracing.exporter.reset();
      const stream = startStreamSpan({ transport: 'sse' });
      expect(() => stream.fail(value)).not.toThrow();
      expect(stream.ended).toBe(true);
      const [span] = tracing.spans('stream sse');
      expect(span?.status.code).toBe(SpanStatusCode.ERROR);
      expect(span?.attributes['streamtrace.stream.outcome']).toBe('error');
      expect(span?.events.map((e) => e.name)).toEqual(['stream.start', 'exception', 'stream.error']);
    }
  });

  it('cancel() with a null-prototype reason still ends the span as cancel', () => {
    tracing.exporter.reset();
    const stream = startStreamSpan({ transport: 'websocket' });
    expect(() => stream.cancel(Object.create(null) as string)).not.toThrow();
    expect(tracing.spans('stream websocket')[0]?.attributes['streamtrace.stream.outcome']).toBe('cancel');
  });

  it('a megabyte upstream error message is cut to 1 KiB in the status and the exception event', () => {
    tracing.exporter.reset();
    const stream = startStreamSpan({ transport: 'sse' });
    stream.fail(new Error(`upstream said: ${'x'.repeat(1024 * 1024)}`), 'model_error');
    const [span] = tracing.spans('stream sse');
    expect(span?.status.message).toHaveLength(MAX_ERROR_TEXT);
    const exception = span?.events.find((e) => e.name === 'exception');
    expect(String(exception?.attributes?.['exception.message'])).toHaveLength(MAX_ERROR_TEXT);
    expect(exception?.attributes?.['exception.type']).toBe('model_error');
    expect(span?.attributes['error.type']).toBe('model_error');
  });
});
