import { describe, expect, it } from 'vitest';
import { ROOT_CONTEXT, SpanStatusCode, context, trace, type Context, type Tracer } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SamplingDecision, SimpleSpanProcessor, type ReadableSpan, type Sampler } from '@opentelemetry/sdk-trace-base';
import { toOtlpJson } from './otlp-json.js';
import { createTracerProvider, randomId } from './tracer.js';
import { createBatchProcessor } from './batch.js';
import { outputMessages } from '../streams/content.js';
import { createExportQueue } from './export-queue.js';

/** Decides by span name: `drop*` NOT_RECORD, `record*` RECORD (not sampled), else RECORD_AND_SAMPLED; adds one attribute. */
const byName: Sampler = {
  shouldSample: (_ctx: Context, _traceId: string, name: string) => ({
    decision: name.startsWith('drop') ? SamplingDecision.NOT_RECORD : name.startsWith('record') ? SamplingDecision.RECORD : SamplingDecision.RECORD_AND_SAMPLED,
    attributes: { 'sampler.seen': name },
  }),
  toString: () => 'byName',
};

const T0 = 1_700_000_000_000;

/** The same calls against any tracer; returns what a page would see of the non-exported spans. */
function scenario(tracer: Tracer): { dropped: { recording: boolean; sameTrace: boolean; sampled: number }; suppressed: boolean } {
  const root = tracer.startSpan('chat.message', { attributes: { keep: 'x', bad: { nested: 1 } as never, mixed: [1, 'a'] as never, empty: undefined, nil: null as never }, startTime: T0 });
  for (let i = 0; i < 130; i++) root.setAttribute(`a${i}`, i);
  root.setAttribute('keep', 'updated');
  root.setAttribute('', 'no key');
  for (let i = 0; i < 130; i++) root.addEvent(`e${i}`, { i }, T0 + i);
  root.setStatus({ code: SpanStatusCode.OK });
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'ignored: OK is final' });
  const parent = trace.setSpan(ROOT_CONTEXT, root);
  const dropped = tracer.startSpan('drop.me', { startTime: T0 }, parent);
  const recorded = tracer.startSpan('record.only', { startTime: T0 + 1 }, parent);
  recorded.setStatus({ code: SpanStatusCode.ERROR, message: 7 as never });
  recorded.end(T0 - 5);
  const fresh = tracer.startSpan('new.root', { root: true, startTime: T0 + 2, links: [{ context: root.spanContext(), attributes: { why: 'regenerate' } }] }, parent);
  fresh.recordException({ name: 'AbortError', message: 'aborted' }, T0 + 3);
  fresh.recordException({}, T0 + 3);
  fresh.updateName('new.root.renamed');
  fresh.end(T0 + 4);
  fresh.setAttribute('after', 'end');
  fresh.end(T0 + 99);
  root.end(T0 + 200);
  const suppressed = tracer.startSpan('suppressed', {}, suppressTracing(ROOT_CONTEXT));
  return {
    dropped: { recording: dropped.isRecording(), sameTrace: dropped.spanContext().traceId === root.spanContext().traceId, sampled: dropped.spanContext().traceFlags },
    suppressed: suppressed.isRecording(),
  };
}

/** OTLP JSON with ids replaced by their order of appearance, so two runs compare. */
function normalized(spans: ReadableSpan[]): unknown {
  const ids = new Map<string, string>();
  return JSON.parse(JSON.stringify(toOtlpJson(spans)), (key, value: unknown) => {
    if (typeof value === 'string' && /^(traceId|spanId|parentSpanId)$/.test(key)) {
      if (!ids.has(value)) ids.set(value, `id${ids.size}`);
      return ids.get(value);
    }
    return value;
  }) as unknown;
}

describe('TracerProvider', () => {
  it('records exactly what the OpenTelemetry SDK records for the same calls (sampling, limits, invalid values, status, links, exceptions, end)', async () => {
    const attributes = { 'service.name': 'web' };
    const exporter = new InMemorySpanExporter();
    const reference = new BasicTracerProvider({ resource: resourceFromAttributes(attributes), sampler: byName, spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const theirs = scenario(reference.getTracer('t', '1'));
    await reference.forceFlush();

    const ended: ReadableSpan[] = [];
    const ours = scenario(
      createTracerProvider({
        resource: attributes,
        sampler: byName,
        spanProcessors: [{ onStart() {}, onEnd: (s) => void ended.push(s), forceFlush: async () => {}, shutdown: async () => {} }],
      }).getTracer('t', '1'),
    );

    expect(ours).toEqual(theirs);
    expect(ours.dropped).toEqual({ recording: false, sameTrace: true, sampled: 0 });
    // SimpleSpanProcessor exports sampled spans only; the RECORD span reached our processor too.
    expect(ended.map((s) => s.name)).toEqual(['record.only', 'new.root.renamed', 'chat.message']);
    const sampled = ended.filter((s) => (s.spanContext().traceFlags & 1) === 1);
    expect(normalized(sampled)).toEqual(normalized(exporter.getFinishedSpans()));
    const root = sampled[1] as ReadableSpan;
    expect([Object.keys(root.attributes).length, root.droppedAttributesCount, root.events.length, root.droppedEventsCount]).toEqual([128, 4, 128, 2]);
    expect((ended[0] as ReadableSpan).duration).toEqual([0, 0]);
  });

  it('leaves undefined event attribute values out (the OpenTelemetry SDK exports them as empty values)', () => {
    const ended: ReadableSpan[] = [];
    const tracer = createTracerProvider({ resource: {}, sampler: byName, spanProcessors: [{ onStart() {}, onEnd: (s) => void ended.push(s), forceFlush: async () => {}, shutdown: async () => {} }] }).getTracer('t');
    const span = tracer.startSpan('chat.stream');
    span.addEvent('chunk', { 'streamtrace.chunk.index': 1, 'streamtrace.chunk.paint_ms': undefined });
    span.end();
    expect(ended[0]?.events[0]?.attributes).toEqual({ 'streamtrace.chunk.index': 1 });
  });

  it('cuts string values at 131,072 characters wherever an attribute enters a span, and copies arrays', () => {
    const ended: ReadableSpan[] = [];
    const tracer = createTracerProvider({ resource: {}, sampler: byName, spanProcessors: [{ onStart() {}, onEnd: (s) => void ended.push(s), forceFlush: async () => {}, shutdown: async () => {} }] }).getTracer('t');
    const huge = 'x'.repeat(1_000_000);
    const list = ['short', huge, null as never];
    const span = tracer.startSpan('chat.message', { attributes: { start: huge, list }, links: [{ context: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 }, attributes: { link: huge } }] });
    span.setAttribute('set', huge);
    span.setAttributes({ many: huge, small: 'ok', n: 1 });
    span.addEvent('e', { event: huge });
    list.push('pushed later');
    // The longest value the SDK makes: the captured answer (16,384 characters), all of them escaped by JSON.
    span.setAttribute('gen_ai.output.messages', outputMessages('\u0001'.repeat(16_384)));
    span.end();
    const s = ended[0] as ReadableSpan;
    for (const key of ['start', 'set', 'many']) expect(s.attributes[key]).toHaveLength(131_072);
    expect(s.attributes['list']).toEqual(['short', 'x'.repeat(131_072), null]);
    expect([s.attributes['small'], s.attributes['n']]).toEqual(['ok', 1]);
    expect(s.events[0]?.attributes?.['event']).toHaveLength(131_072);
    expect(s.links[0]?.attributes?.['link']).toHaveLength(131_072);
    expect(JSON.parse(s.attributes['gen_ai.output.messages'] as string)[0].parts[0].content).toHaveLength(16_384);
  });

  it('starts children in the parent trace from the active context and makes valid random ids', () => {
    const ended: ReadableSpan[] = [];
    const tracer = createTracerProvider({ resource: {}, sampler: byName, spanProcessors: [{ onStart() {}, onEnd: (s) => void ended.push(s), forceFlush: async () => {}, shutdown: async () => {} }] }).getTracer('t');
    const parent = tracer.startSpan('parent');
    // Without a context manager the active context stays ROOT: a new trace, as with the OpenTelemetry SDK.
    context.with(trace.setSpan(context.active(), parent), () => tracer.startSpan('outer').end());
    tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, parent)).end();
    parent.end();
    const [outer, child, p] = ended;
    expect(child?.spanContext().traceId).toBe(p?.spanContext().traceId);
    expect(child?.parentSpanContext?.spanId).toBe(p?.spanContext().spanId);
    expect(outer?.spanContext().traceId).not.toBe(p?.spanContext().traceId);
    for (const id of [randomId(16), randomId(8)]) expect(id).toMatch(/^(?!0+$)[0-9a-f]+$/);
    expect(randomId(16)).toHaveLength(32);
  });
});

describe('BatchProcessor', () => {
  it('hands sampled spans to the queue after the delay, at once when a batch is full or on forceFlush, and never unsampled ones', async () => {
    const sent: number[] = [];
    const queue = createExportQueue({ maxPending: 100, maxBatch: 100, serialize: (spans) => new Uint8Array(spans.length), send: async (body) => (sent.push(body.length), { kind: 'ok' }) });
    const batch = createBatchProcessor(queue, { delayMs: 60_000, maxBatch: 3 });
    const tracer = createTracerProvider({ resource: {}, sampler: byName, spanProcessors: [batch] }).getTracer('t');
    for (const name of ['a', 'b', 'record.x', 'c']) tracer.startSpan(name).end();
    await queue.forceFlush();
    expect(sent).toEqual([3]);
    tracer.startSpan('d').end();
    await queue.forceFlush();
    expect(sent).toEqual([3]);
    await batch.forceFlush();
    await queue.forceFlush();
    expect(sent).toEqual([3, 1]);
    expect(queue.stats.spansExported).toBe(4);
  });
});
