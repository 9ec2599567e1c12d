import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { extractRequestContext } from '../context/extract.js';
import { BROWSER_SPAN_ID, BROWSER_TRACEPARENT, BROWSER_TRACE_ID, registerTestTracing } from '../testing/otel.test-helpers.js';
import { startStreamSpan } from './stream-span.js';

const tracing = registerTestTracing();
const remote = () => extractRequestContext({ headers: { traceparent: BROWSER_TRACEPARENT } }).context;

function only(name: string) {
  const spans = tracing.spans(name);
  expect(spans).toHaveLength(1);
  return spans[0]!;
}

describe('startStreamSpan', () => {
  it('records a completed stream: counts, bytes, ttfb, events, ids', () => {
    tracing.exporter.reset();
    const stream = startStreamSpan({ transport: 'sse', parent: remote(), sessionId: 's-1', messageId: 'm-1' });
    expect(stream.traceId).toBe(BROWSER_TRACE_ID);
    stream.eventSent();
    stream.delta(5);
    stream.delta(7, { 'gen_ai.choice.index': 0 });
    stream.eventSent();
    stream.complete({ 'gen_ai.response.finish_reasons': ['stop'] });
    stream.complete();
    stream.cancel('late');
    expect(stream.ended).toBe(true);

    const span = only('stream sse');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.parentSpanContext?.spanId).toBe(BROWSER_SPAN_ID);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes).toMatchObject({
      'streamtrace.stream.transport': 'sse',
      'streamtrace.stream.deltas': 2,
      'streamtrace.stream.bytes': 12,
      'streamtrace.stream.events_sent': 4,
      'streamtrace.stream.outcome': 'complete',
      'session.id': 's-1',
      'streamtrace.message.id': 'm-1',
      'gen_ai.response.finish_reasons': ['stop'],
    });
    expect(span.attributes['streamtrace.stream.ttfb_ms']).toBeGreaterThanOrEqual(0);
    expect(span.events.map((e) => e.name)).toEqual(['stream.start', 'stream.delta', 'stream.delta', 'stream.complete']);
    expect(span.events[2]?.attributes).toMatchObject({ 'streamtrace.delta.index': 1, 'streamtrace.delta.bytes': 7, 'gen_ai.choice.index': 0 });
  });

  it('is INTERNAL under a local span and carries the ids in its context baggage', () => {
    tracing.exporter.reset();
    const parentSpan = trace.getTracer('t').startSpan('GET');
    const stream = startStreamSpan({ transport: 'websocket', parent: trace.setSpan(ROOT_CONTEXT, parentSpan), sessionId: 's' });
    expect(propagation.getBaggage(stream.context)?.getEntry('session.id')?.value).toBe('s');
    expect(trace.getSpan(stream.context)).toBe(stream.span);
    stream.complete();
    parentSpan.end();
    expect(only('stream websocket').kind).toBe(SpanKind.INTERNAL);
  });

  it('defaults the parent to the active context and reads ids from its baggage', () => {
    tracing.exporter.reset();
    const parent = extractRequestContext({ headers: { traceparent: BROWSER_TRACEPARENT, 'x-session-id': 'from-bag' } }).context;
    const stream = context.with(parent, () => startStreamSpan({ transport: 'grpc', name: 'stream chat' }));
    stream.complete();
    const span = only('stream chat');
    expect(span.spanContext().traceId).toBe(BROWSER_TRACE_ID);
    expect(span.attributes['session.id']).toBe('from-bag');
  });

  it('samples delta events: every one up to 64, then 1 in 10, at most 200; counts stay exact', () => {
    tracing.exporter.reset();
    const stream = startStreamSpan({ transport: 'sse', parent: remote() });
    for (let i = 0; i < 3000; i++) stream.delta(1);
    stream.complete();
    const span = only('stream sse');
    const indexes = span.events.filter((e) => e.name === 'stream.delta').map((e) => e.attributes?.['streamtrace.delta.index']);
    expect(indexes).toHaveLength(200);
    expect(indexes.slice(0, 66)).toEqual([...Array.from({ length: 64 }, (_, i) => i), 64, 74]);
    expect(span.attributes['streamtrace.stream.deltas']).toBe(3000);
    expect(span.attributes['streamtrace.stream.bytes']).toBe(3000);
    expect(span.attributes['streamtrace.stream.delta_events']).toBe(200);
  });

  it('honours custom delta sampling', () => {
    tracing.exporter.reset();
    const stream = startStreamSpan({ transport: 'sse', parent: remote(), deltaEvents: { keepFirst: 2, sampleEvery: 3, max: 4 } });
    for (let i = 0; i < 20; i++) stream.delta(1);
    stream.complete();
    const indexes = only('stream sse').events.filter((e) => e.name === 'stream.delta').map((e) => e.attributes?.['streamtrace.delta.index']);
    expect(indexes).toEqual([0, 1, 2, 5]);
  });

  it('cancel is not an error: outcome cancel, reason on the event, status UNSET', () => {
    tracing.exporter.reset();
    const stream = startStreamSpan({ transport: 'sse', parent: remote() });
    stream.delta(3);
    stream.cancel('client closed');
    stream.fail(new Error('after cancel'));
    stream.delta(9);
    const span = only('stream sse');
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes['streamtrace.stream.outcome']).toBe('cancel');
    expect(span.attributes['streamtrace.stream.bytes']).toBe(3);
    expect(span.events.at(-1)).toMatchObject({ name: 'stream.cancel', attributes: { 'streamtrace.cancel.reason': 'client closed' } });
  });

  it('fail sets status ERROR, error.type and the exception', () => {
    tracing.exporter.reset();
    const stream = startStreamSpan({ transport: 'sse', parent: remote() });
    class UpstreamError extends Error {
      override name = 'UpstreamError';
    }
    stream.fail(new UpstreamError('model 500'));
    const span = only('stream sse');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'model 500' });
    expect(span.attributes['error.type']).toBe('UpstreamError');
    expect(span.attributes['streamtrace.stream.outcome']).toBe('error');
    expect(span.events.map((e) => e.name)).toEqual(['stream.start', 'exception', 'stream.error']);

    tracing.exporter.reset();
    startStreamSpan({ transport: 'sse', parent: remote() }).fail('boom', 'model_error');
    expect(only('stream sse').attributes['error.type']).toBe('model_error');
  });

  it('responseHeaders point at the stream span', () => {
    const stream = startStreamSpan({ transport: 'sse', parent: remote() });
    const { spanId, traceId } = stream.span.spanContext();
    expect(stream.responseHeaders()).toEqual({
      traceparent: `00-${traceId}-${spanId}-01`,
      'x-trace-id': BROWSER_TRACE_ID,
      'server-timing': `traceparent;desc="00-${traceId}-${spanId}-01"`,
    });
    stream.complete();
  });
});
