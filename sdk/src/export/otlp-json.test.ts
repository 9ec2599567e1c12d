import { describe, expect, it } from 'vitest';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { encodeOtlpJson, toOtlpJson } from './otlp-json.js';
import { createTracerProvider } from './tracer.js';

const alwaysOn = { shouldSample: () => ({ decision: 2 }) };
const collect = (into: ReadableSpan[]) => ({ onStart() {}, onEnd: (s: ReadableSpan) => void into.push(s), forceFlush: async () => {}, shutdown: async () => {} });

const decoder = new TextDecoder();
const text = (bytes: Uint8Array | undefined): string => decoder.decode(bytes);

/** Every field kind the encoder writes: all value types, events with times, links, remote parent, trace state, statuses. */
function record(tracer: Tracer, other: Tracer): void {
  const remote = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: 1,
    isRemote: true,
    traceState: new TraceState('vendor=a,other=b'),
  });
  const root = tracer.startSpan('chat.message', {
    attributes: { s: 'text', i: 42, neg: -7, d: 1.25, b: false, strings: ['a', 'b'], ints: [1, 2], doubles: [0.5, 2], bools: [true] },
    startTime: 1_700_000_000_123.5,
  });
  root.addEvent('chunk', { 'streamtrace.chunk.index': 0, 'streamtrace.chunk.arrival_ms': 12.5 }, 1_700_000_000_200.001);
  root.addEvent('no.attributes', 1_700_000_000_300);
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'stream failed' });
  const child = tracer.startSpan('chat.stream', { kind: SpanKind.CLIENT, startTime: 1_700_000_000_150 }, trace.setSpan(ROOT_CONTEXT, root));
  child.setStatus({ code: SpanStatusCode.OK });
  child.end(1_700_000_000_900.5);
  root.end(1_700_000_001_000);
  const server = tracer.startSpan('joined', {
    kind: SpanKind.SERVER,
    links: [{ context: root.spanContext(), attributes: { 'streamtrace.link.type': 'regenerate' } }, { context: child.spanContext() }],
    startTime: 1_700_000_002_000,
  }, remote);
  server.recordException(new TypeError('boom'));
  server.end(1_700_000_002_500);
  other.startSpan('other.scope', { startTime: 1_700_000_003_000 }).end(1_700_000_003_001);
}

describe('OTLP JSON encoder', () => {
  it('writes the same bytes as otlp-transformer for spans of the OpenTelemetry SDK', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'web', 'telemetry.sdk.version': '1', n: 3, f: 0.5 }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    record(provider.getTracer('@streamtrace/web', '0.1.0'), provider.getTracer('other'));
    await provider.forceFlush();
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(4);
    expect(text(encodeOtlpJson(spans))).toBe(text(JsonTraceSerializer.serializeRequest(spans)));
  });

  it('writes the same bytes as otlp-transformer for spans of our tracer', () => {
    const spans: ReadableSpan[] = [];
    const provider = createTracerProvider({ resource: { 'service.name': 'web', n: 3 }, sampler: alwaysOn, spanProcessors: [collect(spans)] });
    record(provider.getTracer('@streamtrace/web', '0.1.0'), provider.getTracer('other'));
    expect(spans).toHaveLength(4);
    const ours = text(encodeOtlpJson(spans));
    expect(ours).toBe(text(JsonTraceSerializer.serializeRequest(spans)));

    // What a collector reads: nanosecond strings, hex ids, remote-parent flags, kinds and value types.
    const request = JSON.parse(ours) as ReturnType<typeof toOtlpJson>;
    const resource = request.resourceSpans[0] as { scopeSpans: { scope: { name: string }; spans: Record<string, unknown>[] }[] };
    expect(resource.scopeSpans.map((s) => s.scope.name)).toEqual(['@streamtrace/web', 'other']);
    const [child, root, server] = resource.scopeSpans[0]?.spans ?? [];
    expect(root).toMatchObject({ startTimeUnixNano: '1700000000123500000', endTimeUnixNano: '1700000001000000000', kind: 1, flags: 0x101, status: { code: 2, message: 'stream failed' } });
    expect(root?.attributes).toContainEqual({ key: 'i', value: { intValue: 42 } });
    expect(root?.attributes).toContainEqual({ key: 'd', value: { doubleValue: 1.25 } });
    expect(root?.attributes).toContainEqual({ key: 'doubles', value: { arrayValue: { values: [{ doubleValue: 0.5 }, { intValue: 2 }] } } });
    expect(child).toMatchObject({ parentSpanId: (root as { spanId: string }).spanId, kind: 3, status: { code: 1 } });
    expect(server).toMatchObject({ parentSpanId: 'b7ad6b7169203331', traceId: '0af7651916cd43dd8448eb211c80319c', traceState: 'vendor=a,other=b', kind: 2, flags: 0x301 });
    expect((server?.events as { name: string }[])[0]?.name).toBe('exception');
  });

  it('writes the same bytes as otlp-transformer for awkward values (escapes, non-finite numbers, nulls in arrays, times near zero)', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'we"b\\\n', 'ü\u2028': '😀' }), spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const ours: ReadableSpan[] = [];
    const own = createTracerProvider({ resource: { 'service.name': 'we"b\\\n', 'ü\u2028': '😀' }, sampler: alwaysOn, spanProcessors: [collect(ours)] });
    for (const tracer of [provider.getTracer('s"cope', ''), own.getTracer('s"cope')]) {
      const span = tracer.startSpan('na"me\t\u0001', {
        attributes: { '': 'empty key', 'q"uote': 'line\nbreak\u0000', nan: NaN, inf: -Infinity, big: 2 ** 60, neg0: -0, tiny: 5e-324, mixed: [null, 1, undefined, 2] as number[], empty: [] },
        startTime: [0, 5],
      });
      span.addEvent('e\u00e9', { s: '\\', n: 1.5e300 }, [1, 999_999_999]);
      span.addEvent('later', {}, [1_700_000_000, 1]);
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.end([4_000_000_000, 0]);
    }
    await provider.forceFlush();
    for (const spans of [exporter.getFinishedSpans(), ours]) {
      expect(spans).toHaveLength(1);
      const text1 = text(encodeOtlpJson(spans));
      expect(text1).toBe(text(JsonTraceSerializer.serializeRequest(spans)));
      expect(text1).toContain('"startTimeUnixNano":"5"');
      expect(text1).toContain('"endTimeUnixNano":"4000000000000000000"');
    }
    expect(text(encodeOtlpJson([]))).toBe(text(JsonTraceSerializer.serializeRequest([])));
  });
});
