import { ResourceScopeGroups } from '../grouping.js';
import { stringAttribute } from '../normalize-common.js';
import type { DataPoint, OtlpMetric, ResourceMetrics, StoredMetric } from './metric-types.js';
import type { MetricBatchItem } from './normalize-metrics.js';

export interface MetricStoreStats {
  metricSeries: number;
  maxMetricSeries: number;
  evictedMetricSeries: number;
}

export interface MetricQuery {
  /** Exact metric name. */
  name?: string;
  /** Resource `service.name`. */
  service?: string;
}

export interface MetricStore {
  /** Keeps each point as the latest of its series; returns how many points were stored. */
  add(items: readonly MetricBatchItem[]): number;
  /** `{ resourceMetrics }` in OTLP JSON, one data point (the latest) per series. */
  query(query?: MetricQuery): { resourceMetrics: ResourceMetrics[] };
  stats(): MetricStoreStats;
}

interface Entry {
  item: MetricBatchItem;
  point: DataPoint;
}

function toOtlpMetric(metric: Omit<StoredMetric, 'dataPoints'>, dataPoints: DataPoint[]): OtlpMetric {
  const out: OtlpMetric = { name: metric.name };
  if (metric.description) out.description = metric.description;
  if (metric.unit) out.unit = metric.unit;
  const temporality = metric.aggregationTemporality ?? 0;
  switch (metric.kind) {
    case 'gauge':
      out.gauge = { dataPoints };
      break;
    case 'sum':
      out.sum = { dataPoints, aggregationTemporality: temporality, isMonotonic: metric.isMonotonic === true };
      break;
    case 'histogram':
      out.histogram = { dataPoints, aggregationTemporality: temporality };
      break;
    case 'exponentialHistogram':
      out.exponentialHistogram = { dataPoints, aggregationTemporality: temporality };
      break;
    case 'summary':
      out.summary = { dataPoints };
      break;
  }
  return out;
}

/**
 * The latest data point of every metric series (resource, scope, metric name and kind, point
 * attributes) that backends exported, so OTLP metrics are visible in the dev setup. Bounded: past
 * `maxSeries`, the series updated least recently is evicted.
 */
export function createMetricStore(options: { maxSeries: number }): MetricStore {
  const maxSeries = Math.max(1, Math.floor(options.maxSeries));
  // Map order = least recently updated first (updated series are re-inserted at the end).
  const series = new Map<string, Entry>();
  let evicted = 0;

  return {
    add(items) {
      let stored = 0;
      const prefixes = new Map<object, string>();
      for (const item of items) {
        let prefix = prefixes.get(item.resource);
        if (prefix === undefined) {
          prefix = JSON.stringify([item.resource, item.resourceSchemaUrl ?? '']);
          prefixes.set(item.resource, prefix);
        }
        const metricKey = `${prefix}\n${JSON.stringify([item.scope, item.scopeSchemaUrl ?? '', item.metric.name, item.metric.kind])}`;
        // Entries keep the metric's description, not the batch's other points.
        const kept: MetricBatchItem = { ...item, metric: { ...item.metric, dataPoints: [] } };
        for (const point of item.metric.dataPoints) {
          const key = `${metricKey}\n${JSON.stringify(point.attributes)}`;
          series.delete(key);
          series.set(key, { item: kept, point });
          stored++;
        }
      }
      for (const key of series.keys()) {
        if (series.size <= maxSeries) break;
        series.delete(key);
        evicted++;
      }
      return stored;
    },

    query(query = {}) {
      const groups = new ResourceScopeGroups<Entry>();
      for (const entry of series.values()) {
        const { item } = entry;
        if (query.name !== undefined && item.metric.name !== query.name) continue;
        if (query.service !== undefined && stringAttribute(item.resource.attributes, 'service.name') !== query.service) continue;
        groups.add(item.resource, item.resourceSchemaUrl, item.scope, item.scopeSchemaUrl, entry);
      }
      const resourceMetrics = groups.groups().map((group) => {
        const rm: ResourceMetrics = {
          resource: group.resource,
          scopeMetrics: group.scopes.map((scope) => {
            const byMetric = new Map<string, { metric: StoredMetric; points: DataPoint[] }>();
            for (const { item, point } of scope.items) {
              const key = `${item.metric.name}\n${item.metric.kind}`;
              let entry = byMetric.get(key);
              if (!entry) {
                entry = { metric: item.metric, points: [] };
                byMetric.set(key, entry);
              }
              entry.points.push(point);
            }
            const sm: ResourceMetrics['scopeMetrics'][number] = {
              scope: scope.scope,
              metrics: [...byMetric.values()].map(({ metric, points }) => toOtlpMetric(metric, points)),
            };
            if (scope.schemaUrl) sm.schemaUrl = scope.schemaUrl;
            return sm;
          }),
        };
        if (group.schemaUrl) rm.schemaUrl = group.schemaUrl;
        return rm;
      });
      return { resourceMetrics };
    },

    stats: () => ({ metricSeries: series.size, maxMetricSeries: maxSeries, evictedMetricSeries: evicted }),
  };
}
