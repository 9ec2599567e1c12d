import { context, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { extractRequestContext } from '../context/extract.js';
import { registerTestTracing } from '../testing/otel.test-helpers.js';
import { setRequestIds } from './set-request-ids.js';

const tracing = registerTestTracing();

describe('RequestIdsSpanProcessor', () => {
  it('copies the baggage ids onto every span started in the request context', () => {
    const req = extractRequestContext({ headers: { 'x-session-id': 's-5', 'x-message-id': 'm-5' } });
    context.with(req.context, () => {
      const tracer = trace.getTracer('gateway');
      tracer.startActiveSpan('retrieval docs', (span) => {
        tracer.startSpan('chat sim-gpt-1').end();
        span.end();
      });
    });
    trace.getTracer('gateway').startSpan('unrelated').end();
    const byName = Object.fromEntries(tracing.spans().map((s) => [s.name, s.attributes]));
    expect(byName['retrieval docs']).toMatchObject({ 'session.id': 's-5', 'streamtrace.message.id': 'm-5' });
    expect(byName['chat sim-gpt-1']).toMatchObject({ 'session.id': 's-5', 'streamtrace.message.id': 'm-5' });
    expect(byName['unrelated']).not.toHaveProperty('session.id');
  });
});

describe('setRequestIds', () => {
  it('sets sanitized ids and skips missing ones', () => {
    tracing.exporter.reset();
    const span = trace.getTracer('t').startSpan('x');
    setRequestIds(span, { sessionId: 'a b<c>', messageId: undefined });
    span.end();
    expect(tracing.spans('x')[0]?.attributes).toEqual({ 'session.id': 'abc' });
  });
});
