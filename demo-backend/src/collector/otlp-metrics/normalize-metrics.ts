import {
  ShapeError,
  expectArray,
  expectRecord,
  normalizeAttributes,
  normalizeDouble,
  normalizeEnum,
  normalizeId,
  normalizeInt,
  normalizeNanos,
  normalizeResource,
  normalizeScope,
  optionalString,
  optionalUint32,
} from '../normalize-common.js';
import type { IdEncoding } from '../normalize-common.js';
import type { InstrumentationScope, Resource } from '../otlp-types.js';
import type { DataPoint, MetricExemplar, MetricKind, StoredMetric } from './metric-types.js';
import { METRIC_KINDS } from './metric-types.js';

export interface MetricBatchItem {
  resource: Resource;
  resourceSchemaUrl?: string;
  scope: InstrumentationScope;
  scopeSchemaUrl?: string;
  metric: StoredMetric;
}

export interface NormalizedMetrics {
  items: MetricBatchItem[];
  /** Data points dropped because their times were not unsigned 64-bit integers. */
  rejected: number;
}

const TEMPORALITIES = ['AGGREGATION_TEMPORALITY_UNSPECIFIED', 'AGGREGATION_TEMPORALITY_DELTA', 'AGGREGATION_TEMPORALITY_CUMULATIVE'];
const UINT64 = /^\d{1,20}$/;
const MAX_UINT64 = 18446744073709551615n;

function uint64(value: unknown, where: string): string {
  if (value === undefined || value === null) return '0';
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return BigInt(value).toString();
  if (typeof value === 'string' && UINT64.test(value) && BigInt(value) <= MAX_UINT64) return BigInt(value).toString();
  throw new ShapeError(`${where} must be an unsigned 64-bit integer`);
}

function int32(value: unknown, where: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 0x7fffffff) return value;
  throw new ShapeError(`${where} must be a 32-bit integer`);
}

function optionalDouble(input: Record<string, unknown>, key: string, where: string): number | string | undefined {
  const value = input[key];
  return value === undefined || value === null ? undefined : normalizeDouble(value, `${where}.${key}`);
}

/** `asDouble` / `asInt` of number points and exemplars. */
function numberValue(input: Record<string, unknown>, where: string): Pick<DataPoint, 'asDouble' | 'asInt'> {
  if (input.asDouble !== undefined && input.asDouble !== null) return { asDouble: normalizeDouble(input.asDouble, `${where}.asDouble`) };
  if (input.asInt !== undefined && input.asInt !== null) return { asInt: normalizeInt(input.asInt, `${where}.asInt`) };
  return {};
}

function normalizeExemplar(value: unknown, where: string, encoding: IdEncoding): MetricExemplar | undefined {
  const input = expectRecord(value, where);
  const time = normalizeNanos(input.timeUnixNano);
  if (time === null) return undefined;
  const exemplar: MetricExemplar = { timeUnixNano: time, ...numberValue(input, where) };
  const attributes = normalizeAttributes(input.filteredAttributes, `${where}.filteredAttributes`);
  if (attributes.length > 0) exemplar.filteredAttributes = attributes;
  const traceId = normalizeId(input.traceId, 16, encoding);
  const spanId = normalizeId(input.spanId, 8, encoding);
  if (traceId && spanId) {
    exemplar.traceId = traceId;
    exemplar.spanId = spanId;
  }
  return exemplar;
}

function normalizeBuckets(value: unknown, where: string): { offset: number; bucketCounts: string[] } {
  const input = expectRecord(value, where);
  return {
    offset: int32(input.offset, `${where}.offset`),
    bucketCounts: expectArray(input.bucketCounts, `${where}.bucketCounts`).map((c, i) => uint64(c, `${where}.bucketCounts[${i}]`)),
  };
}

/** `undefined`: the point is dropped (invalid times). */
function normalizePoint(value: unknown, kind: MetricKind, where: string, encoding: IdEncoding): DataPoint | undefined {
  const input = expectRecord(value, where);
  const start = normalizeNanos(input.startTimeUnixNano);
  const time = normalizeNanos(input.timeUnixNano);
  if (start === null || time === null) return undefined;
  const point: DataPoint = {
    attributes: normalizeAttributes(input.attributes, `${where}.attributes`),
    startTimeUnixNano: start,
    timeUnixNano: time,
  };
  const flags = optionalUint32(input.flags, `${where}.flags`);
  if (flags) point.flags = flags;
  if (kind === 'gauge' || kind === 'sum') Object.assign(point, numberValue(input, where));
  else {
    point.count = uint64(input.count, `${where}.count`);
    for (const key of ['sum', 'min', 'max'] as const) {
      const double = optionalDouble(input, key, where);
      if (double !== undefined) point[key] = double;
    }
  }
  if (kind === 'histogram') {
    point.bucketCounts = expectArray(input.bucketCounts, `${where}.bucketCounts`).map((c, i) => uint64(c, `${where}.bucketCounts[${i}]`));
    point.explicitBounds = expectArray(input.explicitBounds, `${where}.explicitBounds`).map((b, i) => normalizeDouble(b, `${where}.explicitBounds[${i}]`));
  }
  if (kind === 'exponentialHistogram') {
    point.scale = int32(input.scale, `${where}.scale`);
    point.zeroCount = uint64(input.zeroCount, `${where}.zeroCount`);
    const zeroThreshold = optionalDouble(input, 'zeroThreshold', where);
    if (zeroThreshold !== undefined) point.zeroThreshold = zeroThreshold;
    if (input.positive !== undefined && input.positive !== null) point.positive = normalizeBuckets(input.positive, `${where}.positive`);
    if (input.negative !== undefined && input.negative !== null) point.negative = normalizeBuckets(input.negative, `${where}.negative`);
  }
  if (kind === 'summary') {
    point.quantileValues = expectArray(input.quantileValues, `${where}.quantileValues`).map((q, i) => {
      const quantile = expectRecord(q, `${where}.quantileValues[${i}]`);
      return {
        quantile: normalizeDouble(quantile.quantile ?? 0, `${where}.quantileValues[${i}].quantile`),
        value: normalizeDouble(quantile.value ?? 0, `${where}.quantileValues[${i}].value`),
      };
    });
  }
  if (kind !== 'summary') {
    const exemplars = expectArray(input.exemplars, `${where}.exemplars`).flatMap((e, i) => normalizeExemplar(e, `${where}.exemplars[${i}]`, encoding) ?? []);
    if (exemplars.length > 0) point.exemplars = exemplars;
  }
  return point;
}

function normalizeMetric(value: unknown, where: string, encoding: IdEncoding): { metric?: StoredMetric; rejected: number } {
  const input = expectRecord(value, where);
  const kind = METRIC_KINDS.find((k) => input[k] !== undefined && input[k] !== null);
  // A metric without data (the oneof unset) carries nothing to keep.
  if (!kind) return { rejected: 0 };
  const data = expectRecord(input[kind], `${where}.${kind}`);
  let rejected = 0;
  const dataPoints: DataPoint[] = [];
  expectArray(data.dataPoints, `${where}.${kind}.dataPoints`).forEach((p, i) => {
    const point = normalizePoint(p, kind, `${where}.${kind}.dataPoints[${i}]`, encoding);
    if (point) dataPoints.push(point);
    else rejected++;
  });
  const metric: StoredMetric = { name: optionalString(input.name, `${where}.name`) ?? '', kind, dataPoints };
  const description = optionalString(input.description, `${where}.description`);
  if (description) metric.description = description;
  const unit = optionalString(input.unit, `${where}.unit`);
  if (unit) metric.unit = unit;
  if (kind !== 'gauge' && kind !== 'summary') {
    metric.aggregationTemporality = normalizeEnum(data.aggregationTemporality, TEMPORALITIES, `${where}.${kind}.aggregationTemporality`);
  }
  if (kind === 'sum') {
    if (data.isMonotonic !== undefined && data.isMonotonic !== null && typeof data.isMonotonic !== 'boolean') {
      throw new ShapeError(`${where}.sum.isMonotonic must be a boolean`);
    }
    metric.isMonotonic = data.isMonotonic === true;
  }
  return { metric, rejected };
}

/** Validates an `ExportMetricsServiceRequest` (parsed JSON or decoded protobuf) into stored form. */
export function normalizeMetrics(body: unknown, encoding: IdEncoding): NormalizedMetrics {
  const root = expectRecord(body, 'request');
  const items: MetricBatchItem[] = [];
  let rejected = 0;
  expectArray(root.resourceMetrics, 'resourceMetrics').forEach((rmValue, r) => {
    const rmWhere = `resourceMetrics[${r}]`;
    const rm = expectRecord(rmValue, rmWhere);
    const resource = normalizeResource(rm.resource, `${rmWhere}.resource`);
    const resourceSchemaUrl = optionalString(rm.schemaUrl, `${rmWhere}.schemaUrl`);
    expectArray(rm.scopeMetrics, `${rmWhere}.scopeMetrics`).forEach((smValue, s) => {
      const smWhere = `${rmWhere}.scopeMetrics[${s}]`;
      const sm = expectRecord(smValue, smWhere);
      const scope = normalizeScope(sm.scope, `${smWhere}.scope`);
      const scopeSchemaUrl = optionalString(sm.schemaUrl, `${smWhere}.schemaUrl`);
      expectArray(sm.metrics, `${smWhere}.metrics`).forEach((mValue, m) => {
        const result = normalizeMetric(mValue, `${smWhere}.metrics[${m}]`, encoding);
        rejected += result.rejected;
        if (!result.metric || result.metric.dataPoints.length === 0) return;
        const item: MetricBatchItem = { resource, scope, metric: result.metric };
        if (resourceSchemaUrl) item.resourceSchemaUrl = resourceSchemaUrl;
        if (scopeSchemaUrl) item.scopeSchemaUrl = scopeSchemaUrl;
        items.push(item);
      });
    });
  });
  return { items, rejected };
}
