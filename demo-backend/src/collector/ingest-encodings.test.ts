import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_STRING_VALUE_CHARS } from './normalize-common.js';
import { MAX_ATTRIBUTES_PER_SPAN, MAX_EVENTS_PER_SPAN, TRUNCATED_VALUES_ATTRIBUTE } from './span-limits.js';
import { startCollector } from './start.js';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { RunningCollector } from './start.js';
import type { Span, TracesData } from './otlp-types.js';

const collectors: RunningCollector[] = [];
afterEach(async () => {
  await Promise.all(collectors.splice(0).map((c) => c.close()));
});

class CollectingReader extends MetricReader {
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

const resource = resourceFromAttributes({ 'service.name': 'parity', 'service.version': '1.0.0', 'host.cores': 2 });

/** Spans with every attribute type, events, links, status, parents, and enough of everything to hit the store's cuts. */
function makeSpans(): { traceId: string; spans: ReadableSpan[] } {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource,
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    spanLimits: { attributeCountLimit: 400, eventCountLimit: 1200, linkCountLimit: 10, attributePerEventCountLimit: 400 },
  });
  const tracer = provider.getTracer('parity-scope', '2.0.0');
  const root = tracer.startSpan('chat.message', {
    kind: SpanKind.SERVER,
    attributes: { 'session.id': 's-1', ok: true, count: 42, negative: -7, big: 2 ** 52 + 1, ratio: 0.25, tags: ['a', 'b'], flags: [true, false], nums: [1.5, 2] },
  });
  const parent = trace.setSpan(context.active(), root);
  const child = tracer.startSpan('stream sse', { kind: SpanKind.CLIENT, links: [{ context: root.spanContext(), attributes: { why: 'follows' } }] }, parent);
  for (let i = 0; i < MAX_EVENTS_PER_SPAN + 5; i++) child.addEvent('stream.delta', { 'streamtrace.delta.index': i, text: `t${i}` }, [1_700_000_000, i * 1000]);
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream failed' });
  child.end();
  const wide = tracer.startSpan('wide', {}, parent);
  wide.setAttribute('huge', 'x'.repeat(MAX_STRING_VALUE_CHARS + 10));
  for (let i = 0; i < MAX_ATTRIBUTES_PER_SPAN + 20; i++) wide.setAttribute(`k${i}`, i % 2 ? `v${i}` : i);
  wide.addEvent('unicode', { text: 'naïve — 日本語 🎉' });
  wide.end();
  root.setStatus({ code: SpanStatusCode.OK });
  root.end();
  return { traceId: root.spanContext().traceId, spans: exporter.getFinishedSpans() };
}

async function makeLogs(traceId: string): Promise<ReadableLogRecord[]> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('pino', '9.0.0');
  const spanContext = { traceId, spanId: 'ab'.repeat(8), traceFlags: 1 };
  const traced = trace.setSpanContext(context.active(), spanContext);
  logger.emit({ severityNumber: SeverityNumber.WARN, severityText: 'warn', body: 'slow retrieval', context: traced, attributes: { attempt: 2 } });
  logger.emit({ severityNumber: SeverityNumber.INFO, body: { msg: 'structured', n: 3, nested: { ok: true } }, context: traced, eventName: 'chat.done' });
  logger.emit({ severityNumber: SeverityNumber.ERROR, body: 'untraced', timestamp: 1_700_000_000_123 });
  await provider.forceFlush();
  const records = exporter.getFinishedLogRecords();
  if (records.length !== 3) throw new Error(`expected 3 log records, got ${records.length}`);
  return records;
}

async function makeMetrics(): Promise<ResourceMetrics> {
  const reader = new CollectingReader();
  const provider = new MeterProvider({ resource, readers: [reader] });
  const meter = provider.getMeter('parity-meter', '3.0.0');
  meter.createCounter('requests', { unit: '{request}' }).add(3, { route: '/api/chat' });
  meter.createUpDownCounter('open_streams').add(-2);
  meter.createHistogram('latency', { unit: 's', advice: { explicitBucketBoundaries: [0.1, 1, 10] } }).record(0.5, { model: 'm' });
  meter.createGauge('temperature').record(21.5);
  const { resourceMetrics } = await reader.collect();
  return resourceMetrics;
}

async function post(collector: RunningCollector, path: string, contentType: string, body: Uint8Array | undefined): Promise<void> {
  if (!body) throw new Error(`serializer gave no body for ${path}`);
  const res = await fetch(`${collector.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body: Buffer.from(body) });
  expect(res.status, `${contentType} ${path}: ${await res.clone().text()}`).toBe(200);
}

async function getJson(collector: RunningCollector, path: string): Promise<unknown> {
  const res = await fetch(`${collector.url}${path}`);
  expect(res.status, path).toBe(200);
  return res.json();
}

describe('the same telemetry as OTLP JSON and as OTLP protobuf', () => {
  it('is stored and served identically: spans, logs and metrics', async () => {
    const { traceId, spans } = makeSpans();
    const logs = await makeLogs(traceId);
    const metrics = await makeMetrics();
    const json = await startCollector({ port: 0, maxBodyBytes: 32 * 1024 * 1024 });
    const proto = await startCollector({ port: 0, maxBodyBytes: 32 * 1024 * 1024 });
    collectors.push(json, proto);

    await post(json, '/v1/traces', 'application/json', JsonTraceSerializer.serializeRequest(spans));
    await post(proto, '/v1/traces', 'application/x-protobuf', ProtobufTraceSerializer.serializeRequest(spans));
    await post(json, '/v1/logs', 'application/json', JsonLogsSerializer.serializeRequest(logs));
    await post(proto, '/v1/logs', 'application/x-protobuf', ProtobufLogsSerializer.serializeRequest(logs));
    await post(json, '/v1/metrics', 'application/json', JsonMetricsSerializer.serializeRequest(metrics));
    await post(proto, '/v1/metrics', 'application/x-protobuf', ProtobufMetricsSerializer.serializeRequest(metrics));

    const fromJson = (await getJson(json, `/api/traces/${traceId}`)) as TracesData;
    const stored = fromJson.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    // The data really exercises the cuts, so the comparison covers them.
    const byName = (name: string): Span | undefined => stored.find((s) => s.name === name);
    expect(stored).toHaveLength(3);
    expect(byName('stream sse')?.droppedEventsCount).toBe(5);
    expect(byName('stream sse')?.links).toHaveLength(1);
    expect(byName('wide')?.droppedAttributesCount).toBe(21);
    expect(byName('wide')?.attributes.find((a) => a.key === TRUNCATED_VALUES_ATTRIBUTE)?.value).toEqual({ intValue: '1' });
    expect(byName('chat.message')?.attributes.find((a) => a.key === 'negative')?.value).toEqual({ intValue: '-7' });

    for (const path of [`/api/traces/${traceId}`, `/api/v3/traces/${traceId}`, `/api/logs/${traceId}`, '/api/logs/untraced', '/api/metrics']) {
      expect(await getJson(proto, path), path).toEqual(await getJson(json, path));
    }
    const logsBody = await getJson(proto, `/api/logs/${traceId}`);
    expect(JSON.stringify(logsBody)).toContain('structured');
    const metricsBody = JSON.stringify(await getJson(proto, '/api/metrics'));
    for (const name of ['requests', 'open_streams', 'latency', 'temperature']) expect(metricsBody).toContain(`"${name}"`);
  });
});
