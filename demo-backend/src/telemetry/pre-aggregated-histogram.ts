import { ValueType } from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';
import { emptyResource } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, InstrumentType } from '@opentelemetry/sdk-metrics';
import type { Attributes, HrTime } from '@opentelemetry/api';
import type { CollectionResult, DataPoint, Histogram, HistogramMetricData, MetricProducer, ScopeMetrics } from '@opentelemetry/sdk-metrics';

/*
 * An explicit-bucket histogram aggregated in place and exported through the metrics SDK's
 * MetricProducer hook, for measurements recorded thousands of times per second (the gateway's
 * per-chunk gap). The SDK's `Histogram.record` hashes the attribute set (sort + JSON.stringify)
 * once per reader on every call, which made the per-chunk histogram 14–17 % of a traced gateway's
 * CPU; here the attribute set is resolved once per series and a measurement is a bucket search
 * and a few additions per reader. The exported data is what the SDK would export for the same
 * measurements: same descriptor, buckets (upper bounds inclusive), sum, count, min and max;
 * cumulative or delta per reader, as that reader's temporality selector asks.
 */

export interface PreAggregatedHistogramOptions {
  /** Instrumentation scope (meter) name the metric is exported under. */
  scope: string;
  name: string;
  unit: string;
  description: string;
  boundaries: readonly number[];
}

/** The SDK's default cardinality limit; later attribute sets share one overflow series. */
const MAX_SERIES = 2000;
const OVERFLOW_ATTRIBUTES: Attributes = { 'otel.metric.overflow': true };

/** One reader's running state of one series. */
interface Cell {
  counts: number[];
  sum: number;
  count: number;
  min: number;
  max: number;
  start: HrTime;
}

const newCell = (buckets: number, start: HrTime): Cell => ({ counts: new Array<number>(buckets).fill(0), sum: 0, count: 0, min: Infinity, max: -Infinity, start });

/** One attribute set of a histogram; `record` is the hot path. */
export class HistogramSeries {
  /** One cell per registered producer (reader), by producer index. */
  readonly cells: Cell[];

  constructor(
    readonly attributes: Attributes,
    private readonly boundaries: readonly number[],
    producers: number,
  ) {
    const start = hrTime();
    this.cells = Array.from({ length: producers }, () => newCell(boundaries.length + 1, start));
  }

  record(value: number): void {
    // The SDK drops negative and NaN histogram measurements.
    if (!(value >= 0)) return;
    const boundaries = this.boundaries;
    let bucket = 0;
    while (bucket < boundaries.length && (boundaries[bucket] as number) < value) bucket++;
    for (const cell of this.cells) {
      cell.counts[bucket] = (cell.counts[bucket] as number) + 1;
      cell.sum += value;
      cell.count++;
      if (value < cell.min) cell.min = value;
      if (value > cell.max) cell.max = value;
    }
  }
}

export class PreAggregatedHistogram {
  private readonly series = new Map<string, HistogramSeries>();

  constructor(
    readonly options: PreAggregatedHistogramOptions,
    private readonly producers: () => number,
  ) {}

  /** The series of one attribute set; resolve it once per stream, not per measurement. */
  seriesFor(attributes: Attributes): HistogramSeries {
    const key = JSON.stringify(Object.keys(attributes).sort().map((k) => [k, attributes[k]]));
    let series = this.series.get(key);
    if (series) return series;
    if (this.series.size >= MAX_SERIES) return this.seriesFor(OVERFLOW_ATTRIBUTES);
    series = new HistogramSeries(attributes, this.options.boundaries, this.producers());
    this.series.set(key, series);
    return series;
  }

  /** The metric as one producer (reader) exports it now; delta cells restart after this. */
  collect(producer: number, temporality: AggregationTemporality, now: HrTime): HistogramMetricData | undefined {
    const dataPoints: DataPoint<Histogram>[] = [];
    for (const series of this.series.values()) {
      const cell = series.cells[producer];
      if (!cell || cell.count === 0) continue;
      dataPoints.push({
        attributes: series.attributes,
        startTime: cell.start,
        endTime: now,
        value: {
          buckets: { boundaries: [...this.options.boundaries], counts: [...cell.counts] },
          sum: cell.sum,
          count: cell.count,
          min: cell.min,
          max: cell.max,
        },
      });
      if (temporality === AggregationTemporality.DELTA) series.cells[producer] = newCell(cell.counts.length, now);
    }
    if (dataPoints.length === 0) return undefined;
    const { name, unit, description, boundaries } = this.options;
    // The SDK's instrument descriptor carries type and advice beside the declared fields.
    const descriptor = { name, unit, description, valueType: ValueType.DOUBLE, type: InstrumentType.HISTOGRAM, advice: { explicitBucketBoundaries: [...boundaries] } };
    return { descriptor, aggregationTemporality: temporality, dataPointType: DataPointType.HISTOGRAM, dataPoints };
  }
}

// Module state on purpose (as prometheus.ts): register.js installs the producers, the application
// creates histograms later through this same module instance.
const histograms = new Map<string, PreAggregatedHistogram>();
let producerCount = 0;

/**
 * A MetricProducer to pass to one metric reader (`metricProducers`), exporting every
 * pre-aggregated histogram with the temporality `temporality()` names at collection time.
 */
export function createPreAggregatedProducer(temporality: () => AggregationTemporality): MetricProducer {
  const index = producerCount++;
  return {
    collect(): Promise<CollectionResult> {
      const now = hrTime();
      const byScope = new Map<string, ScopeMetrics>();
      for (const histogram of histograms.values()) {
        const data = histogram.collect(index, temporality(), now);
        if (!data) continue;
        const scope = histogram.options.scope;
        let scoped = byScope.get(scope);
        if (!scoped) byScope.set(scope, (scoped = { scope: { name: scope }, metrics: [] }));
        scoped.metrics.push(data);
      }
      // The reader keeps the SDK's resource and appends these scope metrics.
      return Promise.resolve({ resourceMetrics: { resource: emptyResource(), scopeMetrics: [...byScope.values()] }, errors: [] });
    },
  };
}

/**
 * The histogram named `options.name` (created on first call), or `undefined` when no metric
 * reader has a producer — metrics are not enabled, so recording would only cost.
 */
export function preAggregatedHistogram(options: PreAggregatedHistogramOptions): PreAggregatedHistogram | undefined {
  if (producerCount === 0) return undefined;
  let histogram = histograms.get(options.name);
  if (!histogram) histograms.set(options.name, (histogram = new PreAggregatedHistogram(options, () => producerCount)));
  return histogram;
}
