import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { startCollector } from './start.js';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { RunningCollector } from './start.js';
import type { LogsData, Span, TracesData } from './otlp-types.js';

let collector: RunningCollector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

/** Wraps a real exporter to see the result it reports (it parses the collector's response). */
function recording(inner: SpanExporter, results: ExportResult[]): SpanExporter {
  return {
    export(spans: ReadableSpan[], done: (result: ExportResult) => void) {
      inner.export(spans, (result) => {
        results.push(result);
        done(result);
      });
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}

async function emitTrace(exporter: SpanExporter): Promise<{ traceId: string; rootId: string; childId: string; results: ExportResult[] }> {
  const results: ExportResult[] = [];
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'exporter-test', 'deployment.environment.name': 'test' }),
    spanProcessors: [new SimpleSpanProcessor(recording(exporter, results))],
  });
  const tracer = provider.getTracer('streamtrace-test', '1.2.3');
  const root = tracer.startSpan('chat.message', {
    kind: SpanKind.INTERNAL,
    attributes: { 'session.id': 'sess-9', 'streamtrace.message.id': 'msg-9', 'streamtrace.ttft_visible_ms': 12.5 },
  });
  const child = tracer.startSpan(
    'chat sim-gpt-1',
    { kind: SpanKind.CLIENT, attributes: { 'gen_ai.usage.output_tokens': 128, 'gen_ai.request.stream': true, tags: ['a', 'b'] } },
    trace.setSpan(context.active(), root),
  );
  child.addEvent('stream.delta', { 'streamtrace.delta.index': 3 });
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream failed' });
  child.end();
  root.end();
  await provider.forceFlush();
  await provider.shutdown();
  return { traceId: root.spanContext().traceId, rootId: root.spanContext().spanId, childId: child.spanContext().spanId, results };
}

function spansOf(data: TracesData): Span[] {
  return data.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
}

describe.each([
  ['JSON', (url: string) => new JsonTraceExporter({ url })],
  ['protobuf', (url: string) => new ProtoTraceExporter({ url })],
  ['gzip JSON', (url: string) => new JsonTraceExporter({ url, compression: CompressionAlgorithm.GZIP })],
  ['gzip protobuf', (url: string) => new ProtoTraceExporter({ url, compression: CompressionAlgorithm.GZIP })],
])('real OpenTelemetry %s trace exporter', (_format, makeExporter) => {
  it('lands spans that come back with parent ids, attributes, events and status', async () => {
    collector = await startCollector({ port: 0 });
    const { traceId, rootId, childId, results } = await emitTrace(makeExporter(`${collector.url}/v1/traces`));
    expect(results.map((r) => r.code)).toEqual([0, 0]);

    const res = await fetch(`${collector.url}/api/v3/traces/${traceId}`);
    expect(res.status).toBe(200);
    const { result } = (await res.json()) as { result: TracesData };
    expect(result.resourceSpans).toHaveLength(1);
    expect(result.resourceSpans[0]?.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'exporter-test' } });
    expect(result.resourceSpans[0]?.scopeSpans[0]?.scope).toMatchObject({ name: 'streamtrace-test', version: '1.2.3' });

    const spans = spansOf(result);
    const root = spans.find((s) => s.spanId === rootId);
    const child = spans.find((s) => s.spanId === childId);
    expect(root?.parentSpanId).toBeUndefined();
    expect(root?.traceId).toBe(traceId);
    expect(root?.attributes).toEqual(
      expect.arrayContaining([
        { key: 'session.id', value: { stringValue: 'sess-9' } },
        { key: 'streamtrace.ttft_visible_ms', value: { doubleValue: 12.5 } },
      ]),
    );
    expect(child?.parentSpanId).toBe(rootId);
    expect(child?.kind).toBe(3);
    expect(child?.status).toEqual({ code: 2, message: 'upstream failed' });
    expect(child?.attributes).toEqual(
      expect.arrayContaining([
        { key: 'gen_ai.usage.output_tokens', value: { intValue: '128' } },
        { key: 'gen_ai.request.stream', value: { boolValue: true } },
        { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }, { stringValue: 'b' }] } } },
      ]),
    );
    expect(child?.events[0]).toMatchObject({ name: 'stream.delta', attributes: [{ key: 'streamtrace.delta.index', value: { intValue: '3' } }] });
    expect(child?.startTimeUnixNano).toMatch(/^\d{19}$/);
    expect(BigInt(child?.endTimeUnixNano ?? 0) >= BigInt(child?.startTimeUnixNano ?? 0)).toBe(true);

    const list = (await (await fetch(`${collector.url}/api/traces?messageId=msg-9`)).json()) as { traces: Array<Record<string, unknown>> };
    expect(list.traces).toEqual([
      expect.objectContaining({ traceId, rootName: 'chat.message', rootService: 'exporter-test', spanCount: 2, errorCount: 1, sessionId: 'sess-9' }),
    ]);
  });
});

describe('real OpenTelemetry protobuf log exporter', () => {
  it('stores log records beside their trace', async () => {
    collector = await startCollector({ port: 0 });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const spanId = '00f067aa0ba902b7';
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'chat-gateway' }),
      processors: [new SimpleLogRecordProcessor({ exporter: new ProtoLogExporter({ url: `${collector.url}/v1/logs` }) })],
    });
    const parent = trace.setSpanContext(context.active(), { traceId, spanId, traceFlags: 1 });
    provider.getLogger('pino').emit({ severityNumber: SeverityNumber.WARN, severityText: 'warn', body: 'slow retrieval', context: parent, attributes: { attempt: 2 } });
    await provider.forceFlush();
    await provider.shutdown();

    const logs = (await (await fetch(`${collector.url}/api/logs/${traceId}`)).json()) as LogsData;
    const record = logs.resourceLogs[0]?.scopeLogs[0]?.logRecords[0];
    expect(record).toMatchObject({
      traceId,
      spanId,
      severityNumber: 13,
      severityText: 'warn',
      body: { stringValue: 'slow retrieval' },
      attributes: [{ key: 'attempt', value: { intValue: '2' } }],
    });
  });
});
