import { SpanStatusCode, context, trace, type Tracer } from '@opentelemetry/api';
import { BasicTracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { SessionSampler, isSessionSampled } from './session-sampler.js';
import { MAX_BYTES, MAX_TRACES, UnsampledBuffer, markKept } from './unsampled-buffer.js';
import { toOtlpJson } from '../export/otlp-json.js';
import { KEPT_BY } from './keep-decision.js';

const out = Array.from({ length: 500 }, (_, i) => `s-${i}`).find((id) => !isSessionSampled(id, 0.5)) as string;
const inn = Array.from({ length: 500 }, (_, i) => `s-${i}`).find((id) => isSessionSampled(id, 0.5)) as string;
/** What the buffer holds now (private: bounded memory is not visible through the API). */
const held = (buffer: UnsampledBuffer) => buffer as unknown as { heldSize: number; pendingTraces: Map<string, unknown> };

function setup(sessionId: string) {
  const kept: ReadableSpan[] = [];
  const buffer = new UnsampledBuffer({ keepSlowMs: 5000, sink: (spans) => kept.push(...spans) });
  const provider = new BasicTracerProvider({ sampler: new SessionSampler(() => sessionId, 0.5, true), spanProcessors: [buffer] });
  return { kept, buffer, tracer: provider.getTracer('t') };
}

/** A chat.message with one chat.stream child, ended at `ms` after start. */
function message(tracer: Tracer, { ms = 100, attributes = {}, fail = false, bigAttribute = 0 } = {}): string {
  const t0 = Date.now();
  const root = tracer.startSpan('chat.message', { startTime: t0 });
  const stream = tracer.startSpan('chat.stream', { startTime: t0 + 1 }, trace.setSpan(context.active(), root));
  if (bigAttribute > 0) stream.setAttribute('big', 'x'.repeat(bigAttribute));
  if (fail) stream.setStatus({ code: SpanStatusCode.ERROR });
  stream.end(t0 + ms);
  root.setAttributes(attributes);
  if (fail) root.setAttribute('streamtrace.message.outcome', 'error');
  root.end(t0 + ms + 1);
  return root.spanContext().traceId;
}

describe('unsampled buffer', () => {
  it('sampled-out spans are recorded but propagate sampled=0; sampled sessions pass by the buffer', () => {
    const { tracer, kept, buffer } = setup(out);
    const span = tracer.startSpan('chat.message');
    expect(span.isRecording()).toBe(true);
    expect(span.spanContext().traceFlags & 1).toBe(0);
    const child = tracer.startSpan('chat.stream', {}, trace.setSpan(context.active(), span));
    expect(child.isRecording()).toBe(true);
    expect(child.spanContext().traceFlags & 1).toBe(0);
    const sampled = setup(inn);
    message(sampled.tracer, { fail: true });
    expect(sampled.kept).toEqual([]);
    expect(sampled.buffer.stats).toEqual({ tracesKept: 0, tracesDiscarded: 0, tracesEvicted: 0 });
    child.end();
    span.end();
    expect(kept).toEqual([]);
    expect(buffer.stats.tracesDiscarded).toBe(1);
  });

  it('exports the whole trace of a failed message with kept_by=error, and nothing of a fine one', () => {
    const { tracer, kept, buffer } = setup(out);
    message(tracer);
    expect(kept).toEqual([]);
    const traceId = message(tracer, { fail: true });
    expect(kept.map((s) => s.name).sort()).toEqual(['chat.message', 'chat.stream']);
    expect(kept.every((s) => s.spanContext().traceId === traceId && s.attributes[KEPT_BY] === 'error')).toBe(true);
    expect(buffer.stats).toEqual({ tracesKept: 1, tracesDiscarded: 1, tracesEvicted: 0 });
    expect(held(buffer).pendingTraces.size).toBe(0);
    expect(held(buffer).heldSize).toBe(0);
  });

  it('keeps a message whose first visible token came after keepSlowMs (or that never got one in time) as slow', () => {
    const { tracer, kept } = setup(out);
    message(tracer, { ms: 20_000, attributes: { 'streamtrace.ttft_visible_ms': 300 } }); // long answer, on time
    expect(kept).toEqual([]);
    message(tracer, { ms: 8000, attributes: { 'streamtrace.ttft_visible_ms': 6000 } });
    message(tracer, { ms: 7000 }); // nothing ever arrived
    expect(kept.map((s) => s.attributes[KEPT_BY])).toEqual(['slow', 'slow', 'slow', 'slow']);
  });

  it('a span of a kept trace ending after its root is exported too; one of a discarded trace is not', () => {
    const { tracer, kept } = setup(out);
    const root = tracer.startSpan('chat.message');
    const ctx = trace.setSpan(context.active(), root);
    root.setStatus({ code: SpanStatusCode.ERROR });
    root.end();
    tracer.startSpan('chat.feedback', {}, ctx).end();
    expect(kept.map((s) => s.name)).toEqual(['chat.message', 'chat.feedback']);
    const fine = tracer.startSpan('chat.message');
    fine.end();
    tracer.startSpan('chat.feedback', {}, trace.setSpan(context.active(), fine)).end();
    expect(kept).toHaveLength(2);
  });

  it('holds at most MAX_TRACES open messages and MAX_BYTES: the oldest are evicted', () => {
    const { tracer, buffer } = setup(out);
    const roots = Array.from({ length: MAX_TRACES + 2 }, () => tracer.startSpan('chat.message'));
    for (const root of roots) tracer.startSpan('chat.stream', {}, trace.setSpan(context.active(), root)).end();
    expect(held(buffer).pendingTraces.size).toBe(MAX_TRACES);
    expect(buffer.stats.tracesEvicted).toBe(2);
    const big = tracer.startSpan('chat.message');
    const s = tracer.startSpan('chat.stream', {}, trace.setSpan(context.active(), big));
    s.setAttribute('big', 'x'.repeat(MAX_BYTES - 500));
    s.end();
    // Its trace pushes out the oldest (MAX_TRACES); then its ~MAX_BYTES leave room for one of the
    // small traces (~210 B each): the others go, oldest first.
    expect(held(buffer).heldSize).toBeLessThanOrEqual(MAX_BYTES);
    expect(held(buffer).pendingTraces.size).toBe(2);
    expect(buffer.stats.tracesEvicted).toBe(MAX_TRACES + 1);
  });

  it('a kept span exports exactly like the span itself plus streamtrace.sampling.kept_by', () => {
    const ended: ReadableSpan[] = [];
    const provider = new BasicTracerProvider({ spanProcessors: [{ onStart() {}, onEnd: (s) => ended.push(s), forceFlush: async () => {}, shutdown: async () => {} }] });
    const tracer = provider.getTracer('t', '1.0');
    const root = tracer.startSpan('chat.message', { attributes: { a: 1 } });
    const child = tracer.startSpan('chat.stream', { links: [{ context: root.spanContext() }] }, trace.setSpan(context.active(), root));
    child.addEvent('chunk', { 'streamtrace.chunk.index': 0 });
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
    child.end();
    root.end();
    const json = (spans: ReadableSpan[]) => JSON.parse(JSON.stringify(toOtlpJson(spans)));
    const kept = ended.map((s) => markKept(s, 'error'));
    expect(kept.map((s) => s.attributes[KEPT_BY])).toEqual(['error', 'error']);
    const expected = json(ended);
    for (const span of expected.resourceSpans[0].scopeSpans[0].spans) span.attributes.push({ key: KEPT_BY, value: { stringValue: 'error' } });
    expect(json(kept)).toEqual(expected);
    expect(ended.every((s) => s.attributes[KEPT_BY] === undefined)).toBe(true);
  });
});
