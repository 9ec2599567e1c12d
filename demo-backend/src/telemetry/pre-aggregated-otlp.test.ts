import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InstrumentType, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { startCollector } from '../collector/start.js';
import { createPreAggregatedProducer, preAggregatedHistogram } from './pre-aggregated-histogram.js';
import type { RunningCollector } from '../collector/start.js';

let collector: RunningCollector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

interface Answer {
  resourceMetrics: {
    scopeMetrics: {
      scope: { name: string };
      metrics: { name: string; unit?: string; description?: string; histogram?: { aggregationTemporality?: number; dataPoints: { count: string | number; sum?: number; bucketCounts?: (string | number)[]; explicitBounds?: number[] }[] } }[];
    }[];
  }[];
}

describe('pre-aggregated histogram over OTLP', () => {
  it('reaches the collector as an ordinary cumulative histogram beside the SDK instruments', async () => {
    collector = await startCollector({ port: 0 });
    const exporter = new OTLPMetricExporter({ url: `${collector.url}/v1/metrics` });
    const reader = new PeriodicExportingMetricReader({
      exporter,
      exportIntervalMillis: 60_000,
      metricProducers: [createPreAggregatedProducer(() => exporter.selectAggregationTemporality(InstrumentType.HISTOGRAM))],
    });
    const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'chat-gateway' }), readers: [reader] });
    const scope = 'streamtrace-demo/chat-gateway';
    provider.getMeter(scope).createCounter('streamtrace.stream.outcomes').add(1);
    const perChunk = preAggregatedHistogram({ scope, name: 'gen_ai.client.operation.time_per_output_chunk', unit: 's', description: 'Gap.', boundaries: [0.001, 0.01] })!;
    const series = perChunk.seriesFor({ 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'm', 'gen_ai.provider.name': 'p' });
    for (const gap of [0.0005, 0.002, 0.003, 0.5]) series.record(gap);
    await reader.forceFlush();
    await provider.shutdown();

    const answer = (await (await fetch(`${collector.url}/api/metrics?service=chat-gateway`)).json()) as Answer;
    const scopes = answer.resourceMetrics.flatMap((r) => r.scopeMetrics).filter((s) => s.scope.name === scope);
    const names = scopes.flatMap((s) => s.metrics.map((m) => m.name));
    expect(names).toEqual(expect.arrayContaining(['streamtrace.stream.outcomes', 'gen_ai.client.operation.time_per_output_chunk']));
    const metric = scopes.flatMap((s) => s.metrics).find((m) => m.name === 'gen_ai.client.operation.time_per_output_chunk');
    expect(metric?.unit).toBe('s');
    expect(metric?.histogram?.aggregationTemporality).toBe(2); // AGGREGATION_TEMPORALITY_CUMULATIVE
    const point = metric?.histogram?.dataPoints[0];
    expect(Number(point?.count)).toBe(4);
    expect(point?.bucketCounts?.map(Number)).toEqual([1, 2, 1]);
    expect(point?.explicitBounds).toEqual([0.001, 0.01]);
    expect(point?.sum).toBeCloseTo(0.5055, 10);
  });
});
