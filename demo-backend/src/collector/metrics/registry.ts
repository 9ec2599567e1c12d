/** Label name/value pairs in exposition order. */
export type LabelPairs = ReadonlyArray<readonly [string, string]>;

/** The span behind an observation: exemplars link a histogram bucket to a trace. */
export interface Exemplar {
  traceId: string;
  spanId: string;
  value: number;
  timestampMs: number;
}

export interface HistogramSeries {
  labels: LabelPairs;
  /** Per bucket (not cumulative); the last entry is the +Inf bucket. */
  bucketCounts: number[];
  /** Latest exemplar per bucket, same indexes as `bucketCounts`. */
  exemplars: Array<Exemplar | undefined>;
  sum: number;
  count: number;
}

export interface CounterSeries {
  labels: LabelPairs;
  value: number;
}

interface FamilyBase {
  /** Prometheus family name; counters without their `_total` suffix. */
  name: string;
  help: string;
  /** OpenMetrics unit; the name must end with `_<unit>`. */
  unit?: string;
}

export interface HistogramFamily extends FamilyBase {
  type: 'histogram';
  buckets: readonly number[];
  series: Map<string, HistogramSeries>;
  /** False when the value was refused (not finite, negative) or the series limit was reached. */
  observe(labels: LabelPairs, value: number, exemplar?: Omit<Exemplar, 'value'>): boolean;
}

export interface CounterFamily extends FamilyBase {
  type: 'counter';
  series: Map<string, CounterSeries>;
  add(labels: LabelPairs, amount?: number): boolean;
}

export type MetricFamily = HistogramFamily | CounterFamily;

export interface MetricRegistryStats {
  /** Series of the span-derived metrics on /metrics. */
  derivedMetricSeries: number;
  maxSeriesPerMetric: number;
  /** Observations refused because their metric already had `maxSeriesPerMetric` series. */
  droppedMetricObservations: number;
}

export interface MetricRegistry {
  histogram(options: FamilyBase & { buckets: readonly number[] }): HistogramFamily;
  counter(options: FamilyBase): CounterFamily;
  families(): readonly MetricFamily[];
  stats(): MetricRegistryStats;
}

export const DEFAULT_MAX_SERIES_PER_METRIC = 2000;
// A label value is copied into every exposition: a megabyte-long span name must not be.
const MAX_LABEL_VALUE_LENGTH = 256;

function seriesKey(labels: LabelPairs): string {
  return labels.map(([name, value]) => `${name}\u0001${value}`).join('\u0002');
}

function boundLabels(labels: LabelPairs): LabelPairs {
  return labels.map(([name, value]) => [name, value.length > MAX_LABEL_VALUE_LENGTH ? value.slice(0, MAX_LABEL_VALUE_LENGTH) : value] as const);
}

/**
 * Metric families with a per-family series limit. The limit protects memory and every scraper
 * from a cardinality accident (an unbounded value used as a label): once a family holds
 * `maxSeriesPerMetric` series, observations for new label sets are dropped and counted in
 * `streamtrace_collector_dropped_observations_total{metric}`.
 */
export function createMetricRegistry(options: { maxSeriesPerMetric?: number } = {}): MetricRegistry {
  const maxSeries = Math.max(1, Math.floor(options.maxSeriesPerMetric ?? DEFAULT_MAX_SERIES_PER_METRIC));
  const families: MetricFamily[] = [];
  let dropped = 0;
  const droppedSeries = new Map<string, CounterSeries>();
  const droppedFamily: CounterFamily = {
    type: 'counter',
    name: 'streamtrace_collector_dropped_observations',
    help: 'Observations dropped because their metric reached the series limit of the dev collector.',
    series: droppedSeries,
    add: () => false,
  };

  const countDrop = (metric: string): void => {
    dropped++;
    const series = droppedSeries.get(metric);
    if (series) series.value++;
  };

  /** The series for these labels, created while the metric is under its series bound. */
  const seriesFor = <S extends { labels: LabelPairs }>(
    metric: string,
    series: Map<string, S>,
    labels: LabelPairs,
    create: (bounded: LabelPairs) => S,
  ): S | undefined => {
    const bounded = boundLabels(labels);
    const key = seriesKey(bounded);
    let entry = series.get(key);
    if (!entry) {
      if (series.size >= maxSeries) {
        countDrop(metric);
        return undefined;
      }
      entry = create(bounded);
      series.set(key, entry);
    }
    return entry;
  };

  const register = <F extends MetricFamily>(family: F): F => {
    if (families.some((f) => f.name === family.name)) throw new Error(`metric ${family.name} registered twice`);
    families.push(family);
    droppedSeries.set(family.name, { labels: [['metric', family.name]], value: 0 });
    return family;
  };

  return {
    histogram({ buckets, ...base }) {
      const sorted = [...buckets].sort((a, b) => a - b);
      const series = new Map<string, HistogramSeries>();
      return register<HistogramFamily>({
        ...base,
        type: 'histogram',
        buckets: sorted,
        series,
        observe(labels, value, exemplar) {
          if (!Number.isFinite(value) || value < 0) return false;
          const entry = seriesFor(base.name, series, labels, (bounded) => ({
            labels: bounded,
            bucketCounts: new Array<number>(sorted.length + 1).fill(0),
            exemplars: new Array<Exemplar | undefined>(sorted.length + 1).fill(undefined),
            sum: 0,
            count: 0,
          }));
          if (!entry) return false;
          let index = sorted.findIndex((bound) => value <= bound);
          if (index < 0) index = sorted.length;
          entry.bucketCounts[index] = (entry.bucketCounts[index] ?? 0) + 1;
          if (exemplar) entry.exemplars[index] = { ...exemplar, value };
          entry.sum += value;
          entry.count++;
          return true;
        },
      });
    },

    counter(base) {
      const series = new Map<string, CounterSeries>();
      return register<CounterFamily>({
        ...base,
        type: 'counter',
        series,
        add(labels, amount = 1) {
          if (!Number.isFinite(amount) || amount < 0) return false;
          const entry = seriesFor(base.name, series, labels, (bounded) => ({ labels: bounded, value: 0 }));
          if (!entry) return false;
          entry.value += amount;
          return true;
        },
      });
    },

    families: () => [...families, droppedFamily],

    stats() {
      let derivedMetricSeries = 0;
      for (const family of families) derivedMetricSeries += family.series.size;
      return { derivedMetricSeries, maxSeriesPerMetric: maxSeries, droppedMetricObservations: dropped };
    },
  };
}
