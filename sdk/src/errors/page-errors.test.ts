import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Span } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { MAX_ERRORS_PER_MESSAGE, watchPageErrors } from './page-errors.js';
import { exceptionAttributes } from './exception-attributes.js';

function setup() {
  const exporter = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('t');
  const target = new EventTarget() as unknown as Window;
  let current: Span | undefined;
  const stop = watchPageErrors(target, () => current);
  const rejection = (reason: unknown): Event => Object.assign(new Event('unhandledrejection', { cancelable: true }), { reason });
  return { exporter, tracer, target, stop, rejection, setCurrent: (s: Span | undefined) => (current = s) };
}

describe('browser errors on the message', () => {
  it('records uncaught errors and unhandled rejections of the current message as exception events, without preventing default', () => {
    const { exporter, tracer, target, setCurrent, rejection } = setup();
    target.dispatchEvent(new ErrorEvent('error', { message: 'before any message' }));
    const span = tracer.startSpan('chat.message');
    setCurrent(span);
    const boom = new TypeError('x'.repeat(300));
    const event = new ErrorEvent('error', { message: 'Uncaught TypeError', error: boom, cancelable: true });
    target.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(false);
    target.dispatchEvent(rejection('plain reason'));
    target.dispatchEvent(new ErrorEvent('error', { message: 'Script error.' }));
    setCurrent(undefined);
    target.dispatchEvent(rejection(new Error('after the message')));
    span.end();
    const events = (exporter.getFinishedSpans()[0]?.events ?? []).map((e) => e.attributes ?? {});
    expect(events).toHaveLength(3);
    expect(events[0]?.['exception.type']).toBe('TypeError');
    expect(events[0]?.['exception.message']).toBe('x'.repeat(256));
    expect(String(events[0]?.['exception.stacktrace'])).toContain('TypeError');
    expect(events[0]?.['streamtrace.exception.source']).toBe('error');
    expect(events[1]).toMatchObject({ 'exception.type': 'string', 'exception.message': 'plain reason', 'streamtrace.exception.source': 'unhandledrejection' });
    expect(events[2]).toMatchObject({ 'exception.type': 'Error', 'exception.message': 'Script error.' });
  });

  it('keeps at most 20 per message and stops listening when removed', () => {
    const { exporter, tracer, target, setCurrent, stop, rejection } = setup();
    const span = tracer.startSpan('chat.message');
    setCurrent(span);
    for (let i = 0; i < 50; i++) target.dispatchEvent(rejection(new Error(`e${i}`)));
    stop();
    target.dispatchEvent(rejection(new Error('late')));
    span.end();
    expect(exporter.getFinishedSpans()[0]?.events).toHaveLength(MAX_ERRORS_PER_MESSAGE);
  });

  it('survives hostile values', () => {
    const hostile = { get name(): string { throw new Error('no'); } };
    expect(exceptionAttributes(hostile)['exception.type']).toBe('object');
    expect(exceptionAttributes(Object.create(null))['exception.type']).toBe('Object');
    expect(exceptionAttributes(undefined)).toEqual({ 'exception.type': 'undefined' });
  });
});
