// OTLP metrics as the collector stores and serves them (same conventions as spans: ids hex,
// times and 64-bit counts as decimal strings, enums as numbers).
import type { InstrumentationScope, KeyValue, Resource } from '../otlp-types.js';

export const METRIC_KINDS = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];

export interface MetricExemplar {
  timeUnixNano: string;
  asDouble?: number | string;
  asInt?: string;
  filteredAttributes?: KeyValue[];
  traceId?: string;
  spanId?: string;
}

/** Number, histogram, exponential histogram and summary points in one shape; fields by kind. */
export interface DataPoint {
  attributes: KeyValue[];
  startTimeUnixNano: string;
  timeUnixNano: string;
  flags?: number;
  asDouble?: number | string;
  asInt?: string;
  count?: string;
  sum?: number | string;
  min?: number | string;
  max?: number | string;
  bucketCounts?: string[];
  explicitBounds?: Array<number | string>;
  scale?: number;
  zeroCount?: string;
  zeroThreshold?: number | string;
  positive?: { offset: number; bucketCounts: string[] };
  negative?: { offset: number; bucketCounts: string[] };
  quantileValues?: Array<{ quantile: number | string; value: number | string }>;
  exemplars?: MetricExemplar[];
}

export interface StoredMetric {
  name: string;
  description?: string;
  unit?: string;
  kind: MetricKind;
  aggregationTemporality?: number;
  isMonotonic?: boolean;
  dataPoints: DataPoint[];
}

/** OTLP JSON `Metric`: the data lives under the key named by its kind. */
export interface OtlpMetric {
  name: string;
  description?: string;
  unit?: string;
  gauge?: { dataPoints: DataPoint[] };
  sum?: { dataPoints: DataPoint[]; aggregationTemporality: number; isMonotonic: boolean };
  histogram?: { dataPoints: DataPoint[]; aggregationTemporality: number };
  exponentialHistogram?: { dataPoints: DataPoint[]; aggregationTemporality: number };
  summary?: { dataPoints: DataPoint[] };
}

export interface ResourceMetrics {
  resource: Resource;
  schemaUrl?: string;
  scopeMetrics: Array<{ scope: InstrumentationScope; schemaUrl?: string; metrics: OtlpMetric[] }>;
}
