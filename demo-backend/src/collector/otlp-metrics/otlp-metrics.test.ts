import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { postJson } from '../fixtures.test-helpers.js';
import { startCollector } from '../start.js';
import { createMetricStore } from './metric-store.js';
import { normalizeMetrics } from './normalize-metrics.js';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { RunningCollector } from '../start.js';
import type { ResourceMetrics } from './metric-types.js';

let collector: RunningCollector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

async function exportWith(exporter: PushMetricExporter, service: string, value: number): Promise<void> {
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': service }), readers: [reader] });
  const meter = provider.getMeter('streamtrace-test', '1.0.0');
  const histogram = meter.createHistogram('streamtrace.chunk.render_latency', { unit: 's', advice: { explicitBucketBoundaries: [0.004, 0.016, 0.1] } });
  histogram.record(value, { 'streamtrace.stream.transport': 'sse' });
  histogram.record(0.2, { 'streamtrace.stream.transport': 'sse' });
  meter.createCounter('requests').add(3, { route: '/api/chat' });
  meter.createObservableGauge('queue.depth').addCallback((result) => result.observe(7));
  await provider.forceFlush();
  await provider.shutdown();
}

type Metrics = { resourceMetrics: ResourceMetrics[] };

function metric(data: Metrics, service: string, name: string) {
  const rm = data.resourceMetrics.find((r) => r.resource.attributes.some((a) => a.key === 'service.name' && a.value.stringValue === service));
  return rm?.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.name === name);
}

describe('POST /v1/metrics and GET /api/metrics', () => {
  it('keeps the latest points sent by the real OTLP JSON and protobuf metric exporters', async () => {
    collector = await startCollector({ port: 0, panelDir: '/nonexistent' });
    const url = `${collector.url}/v1/metrics`;
    await exportWith(new JsonMetricExporter({ url }), 'json-service', 0.01);
    await exportWith(new ProtoMetricExporter({ url }), 'proto-service', 0.003);
    await exportWith(new ProtoMetricExporter({ url }), 'proto-service', 0.05);

    const data = (await (await fetch(`${collector.url}/api/metrics`)).json()) as Metrics;
    for (const [service, latest, bucketCounts] of [
      ['json-service', 0.01, ['0', '1', '0', '1']],
      ['proto-service', 0.05, ['0', '0', '1', '1']],
    ] as const) {
      const histogram = metric(data, service, 'streamtrace.chunk.render_latency');
      expect(histogram?.unit).toBe('s');
      expect(histogram?.histogram?.aggregationTemporality).toBe(2);
      expect(histogram?.histogram?.dataPoints).toHaveLength(1);
      const point = histogram?.histogram?.dataPoints[0];
      expect(point?.count).toBe('2');
      expect(point?.sum).toBeCloseTo(latest + 0.2);
      expect(point?.explicitBounds).toEqual([0.004, 0.016, 0.1]);
      expect(point?.bucketCounts).toEqual(bucketCounts);
      expect(point?.attributes).toEqual([{ key: 'streamtrace.stream.transport', value: { stringValue: 'sse' } }]);
      const counter = metric(data, service, 'requests');
      expect(counter?.sum?.isMonotonic).toBe(true);
      expect(Number(counter?.sum?.dataPoints[0]?.asInt ?? counter?.sum?.dataPoints[0]?.asDouble)).toBe(3);
      expect(Number(metric(data, service, 'queue.depth')?.gauge?.dataPoints[0]?.asDouble ?? NaN)).toBe(7);
    }

    const filtered = (await (await fetch(`${collector.url}/api/metrics?service=proto-service&name=requests`)).json()) as Metrics;
    expect(filtered.resourceMetrics).toHaveLength(1);
    expect(filtered.resourceMetrics[0]?.scopeMetrics[0]?.metrics.map((m) => m.name)).toEqual(['requests']);
  });

  it('answers 400 to garbage and keeps serving', async () => {
    collector = await startCollector({ port: 0, panelDir: '/nonexistent' });
    const url = `${collector.url}/v1/metrics`;
    const garbage = [
      await postJson(url, 'not json'),
      await postJson(url, { resourceMetrics: 'nope' }),
      await postJson(url, { resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'x', sum: { dataPoints: [{ asInt: 'twelve' }] } }] }] }] }),
      await postJson(url, { resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'x', histogram: { dataPoints: [{ bucketCounts: [-1] }] } }] }] }] }),
      await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2]) }),
    ];
    for (const res of garbage) {
      expect(res.status).toBe(400);
      expect(await res.json()).toHaveProperty('error');
    }
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' })).status).toBe(415);
    expect((await fetch(url)).status).toBe(405);

    const partial = await postJson(url, {
      resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'g', gauge: { dataPoints: [{ asDouble: 1, timeUnixNano: '-5' }, { asDouble: 2, timeUnixNano: '5' }] } }] }] }],
    });
    expect(await partial.json()).toEqual({ partialSuccess: { rejectedDataPoints: '1', errorMessage: '1 data point(s) with invalid timestamps were dropped' } });
    const data = (await (await fetch(`${collector.url}/api/metrics`)).json()) as Metrics;
    expect(data.resourceMetrics[0]?.scopeMetrics[0]?.metrics[0]?.gauge?.dataPoints.map((p) => p.asDouble)).toEqual([2]);
    expect((await fetch(`${collector.url}/api/health`)).status).toBe(200);
  });

  it('bounds the store by series, evicting the least recently updated', () => {
    const store = createMetricStore({ maxSeries: 3 });
    const batch = (attribute: string, value: number) =>
      normalizeMetrics(
        {
          resourceMetrics: [
            { scopeMetrics: [{ metrics: [{ name: 'm', gauge: { dataPoints: [{ asDouble: value, timeUnixNano: '1', attributes: [{ key: 'k', value: { stringValue: attribute } }] }] } }] }] },
          ],
        },
        'hex',
      ).items;
    store.add(batch('a', 1));
    store.add(batch('b', 1));
    store.add(batch('c', 1));
    store.add(batch('a', 2)); // a is now the most recent
    store.add(batch('d', 1)); // evicts b
    const points = store.query().resourceMetrics[0]?.scopeMetrics[0]?.metrics[0]?.gauge?.dataPoints ?? [];
    expect(points.map((p) => [p.attributes[0]?.value.stringValue, p.asDouble])).toEqual([
      ['c', 1],
      ['a', 2],
      ['d', 1],
    ]);
    expect(store.stats()).toEqual({ metricSeries: 3, maxMetricSeries: 3, evictedMetricSeries: 1 });
  });
});
