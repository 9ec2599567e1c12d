import type { MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';

/** OTel unit → Prometheus name suffix (OpenTelemetry → Prometheus compatibility spec). */
const UNIT_SUFFIXES: Record<string, string> = {
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
};

/**
 * The metric name with its unit word appended, as the collector's Prometheus exporter writes it
 * (`gen_ai.client.operation.duration` + `s` → `gen_ai.client.operation.duration_seconds`).
 * Annotation units (`{token}`) and unknown units add nothing.
 */
export function nameWithUnit(name: string, unit: string): string {
  const suffix = UNIT_SUFFIXES[unit.trim()];
  if (!suffix) return name;
  const sanitized = name.replace(/[^a-zA-Z0-9_:]/g, '_');
  return sanitized.endsWith(`_${suffix}`) ? name : `${name}_${suffix}`;
}

/**
 * `PrometheusSerializer` 0.223 does not append unit suffixes (it writes `# UNIT` instead), so
 * the names would not match docs/deploy/README.md's metric-name contract; rename before serializing.
 */
export function withUnitSuffixes(resourceMetrics: ResourceMetrics): ResourceMetrics {
  return {
    ...resourceMetrics,
    scopeMetrics: resourceMetrics.scopeMetrics.map((scope) => ({
      ...scope,
      metrics: scope.metrics.map(
        (metric): MetricData => ({
          ...metric,
          descriptor: { ...metric.descriptor, name: nameWithUnit(metric.descriptor.name, metric.descriptor.unit) },
        }),
      ),
    })),
  };
}
