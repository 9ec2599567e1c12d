import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { createPreAggregatedProducer, preAggregatedHistogram } from './pre-aggregated-histogram.js';
import type { Attributes } from '@opentelemetry/api';
import type { HistogramMetricData, MetricData } from '@opentelemetry/sdk-metrics';

class TestReader extends MetricReader {
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

const newReader = (temporality: AggregationTemporality): TestReader =>
  new TestReader({ aggregationTemporalitySelector: () => temporality, metricProducers: [createPreAggregatedProducer(() => temporality)] });

const cumulative = newReader(AggregationTemporality.CUMULATIVE);
const delta = newReader(AggregationTemporality.DELTA);
const provider = new MeterProvider({ readers: [cumulative, delta] });
afterAll(() => provider.shutdown());

const BOUNDARIES = [0.001, 0.005, 0.01, 0.1];
const SCOPE = 'streamtrace-test/gateway';
const sdk = provider.getMeter(SCOPE).createHistogram('sdk.gap', { unit: 's', description: 'Gap.', advice: { explicitBucketBoundaries: BOUNDARIES } });
const pre = preAggregatedHistogram({ scope: SCOPE, name: 'pre.gap', unit: 's', description: 'Gap.', boundaries: BOUNDARIES });

function record(values: number[], attributes: Attributes): void {
  const series = pre?.seriesFor({ ...attributes });
  for (const value of values) {
    sdk.record(value, attributes);
    series?.record(value);
  }
}

/** The two metrics of one collection, without names and times (which differ by construction). */
async function collect(reader: TestReader): Promise<{ sdk: unknown; pre: unknown }> {
  const { resourceMetrics } = await reader.collect();
  const all = resourceMetrics.scopeMetrics.filter((s) => s.scope.name === SCOPE).flatMap((s) => s.metrics);
  const strip = (metric: MetricData | undefined) => {
    if (!metric) return undefined;
    const { descriptor, ...rest } = metric as HistogramMetricData;
    return {
      ...rest,
      descriptor: { ...descriptor, name: '' },
      dataPoints: rest.dataPoints.map(({ attributes, value }) => ({ attributes, value })).sort((a, b) => JSON.stringify(a.attributes).localeCompare(JSON.stringify(b.attributes))),
    };
  };
  return { sdk: strip(all.find((m) => m.descriptor.name === 'sdk.gap')), pre: strip(all.find((m) => m.descriptor.name === 'pre.gap')) };
}

const CHAT = { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'sim-gpt-1', 'gen_ai.provider.name': 'openai' };

describe('pre-aggregated histogram', () => {
  it('is created only once a reader has its producer, and exports what the SDK histogram exports', async () => {
    expect(pre).toBeDefined();
    // Boundary values (upper bounds are inclusive), zero, beyond the last bound, and what the SDK drops.
    record([0, 0.001, 0.0011, 0.005, 0.02, 0.1, 7.5, Number.NaN, -1], CHAT);
    record([0.003, 0.004], { ...CHAT, 'gen_ai.request.model': 'other' });
    const first = await collect(cumulative);
    expect(first.pre).toBeDefined();
    expect(first.pre).toEqual(first.sdk);
    const point = (first.pre as HistogramMetricData).dataPoints.find((p) => p.attributes['gen_ai.request.model'] === 'sim-gpt-1');
    expect(point?.value).toMatchObject({ count: 7, min: 0, max: 7.5, buckets: { boundaries: BOUNDARIES, counts: [2, 2, 0, 2, 1] } });
    expect(point?.value.sum).toBeCloseTo(7.6271, 10);

    const deltaFirst = await collect(delta);
    expect(deltaFirst.pre).toEqual(deltaFirst.sdk);
  });

  it('keeps counting for cumulative readers and restarts for delta readers', async () => {
    await collect(delta);
    record([0.05, 0.05], CHAT);
    const cumulativeNow = await collect(cumulative);
    const deltaNow = await collect(delta);
    expect(cumulativeNow.pre).toEqual(cumulativeNow.sdk);
    expect(deltaNow.pre).toEqual(deltaNow.sdk);
    const deltaPoints = (deltaNow.pre as HistogramMetricData).dataPoints;
    expect(deltaPoints).toHaveLength(1);
    expect(deltaPoints[0]?.value).toMatchObject({ count: 2, sum: 0.1, min: 0.05, max: 0.05 });
    const cumulativePoint = (cumulativeNow.pre as HistogramMetricData).dataPoints.find((p) => p.attributes['gen_ai.request.model'] === 'sim-gpt-1');
    expect(cumulativePoint?.value.count).toBe(9);
  });
});
