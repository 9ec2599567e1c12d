// The dev collector's /metrics must be what docs/deploy/otel-collector.yaml makes the production
// Collector expose (name, type, buckets, labels), so alerts.yml and the dashboard work on both.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { messageTrace } from '../messages/message-trace.test-helpers.js';
import { normalizeTraces } from '../normalize-traces.js';
import { renderMetrics } from './exposition.js';
import { parseExposition } from './parse-exposition.test-helpers.js';
import type { ParsedFamily } from './parse-exposition.test-helpers.js';
import { createMetricRegistry } from './registry.js';
import { createSpanMetrics } from './span-metrics.js';

interface SignalMetric {
  name: string;
  unit: string;
  attributes?: Array<{ key: string }>;
  histogram?: { buckets: number[] };
}
interface CollectorConfig {
  connectors: {
    span_metrics: { namespace: string; histogram: { unit: string; explicit: { buckets: string[] } }; dimensions: Array<{ name: string }> };
    signal_to_metrics: { spans: SignalMetric[] };
  };
}

const config = parse(readFileSync(fileURLToPath(new URL('../../../../docs/deploy/otel-collector.yaml', import.meta.url)), 'utf8')) as CollectorConfig;
const label = (attribute: string): string => attribute.replace(/\./g, '_');
/** The production exporter's OTLP → Prometheus name: dots to underscores, unit word appended (annotations add none). */
const promName = (name: string, unit: string): string => (unit === 's' ? `${label(name)}_seconds` : label(name));
const seconds = (duration: string): number => (duration.endsWith('ms') ? Number(duration.slice(0, -2)) / 1000 : Number(duration.slice(0, -1)));

function devCollectorFamilies(): Map<string, ParsedFamily> {
  const registry = createMetricRegistry({});
  const metrics = createSpanMetrics(registry);
  const traces = [
    messageTrace({ ttftVisibleMs: 640, modelTtfcMs: 210, ttfbMs: 480, renderP95Ms: 12, stalls: 1, chunks: [{ arrival: 500, paint: 510 }] }),
    messageTrace({ modelError: true }),
  ];
  for (const trace of traces) metrics.observe(normalizeTraces(trace.body, 'hex').data);
  return parseExposition(renderMetrics(registry.families(), 'openmetrics'), 'openmetrics');
}

function bucketsAndLabels(family: ParsedFamily | undefined, name: string) {
  const samples = (family?.samples ?? []).filter((s) => s.name === `${name}_bucket`);
  const bounds = [...new Set(samples.map((s) => s.labels.le).filter((le) => le !== '+Inf').map(Number))].sort((a, b) => a - b);
  const labels = [...new Set(samples.flatMap((s) => Object.keys(s.labels)).filter((l) => l !== 'le'))].sort();
  return { bounds, labels, count: samples.length };
}

describe('dev collector /metrics = production Collector config', () => {
  const families = devCollectorFamilies();

  it.each(config.connectors.signal_to_metrics.spans.map((m) => [promName(m.name, m.unit), m] as const))(
    'signal_to_metrics %s: same histogram, buckets and labels',
    (name, metric) => {
      const family = families.get(name);
      expect(family?.type).toBe('histogram');
      const { bounds, labels, count } = bucketsAndLabels(family, name);
      expect(count).toBeGreaterThan(0);
      expect(bounds).toEqual(metric.histogram!.buckets);
      // service.name becomes `job` at the production exporter; the listed attributes become labels.
      expect(labels).toEqual(['job', ...(metric.attributes ?? []).map((a) => label(a.key))].sort());
    },
  );

  it('span_metrics duration: same buckets; the optional labels are exactly the configured dimensions', () => {
    const sm = config.connectors.span_metrics;
    const name = `${label(sm.namespace)}_duration_seconds`;
    expect(sm.histogram.unit).toBe('s');
    const { bounds, labels } = bucketsAndLabels(families.get(name), name);
    expect(bounds).toEqual(sm.histogram.explicit.buckets.map(seconds));
    const fixed = ['job', 'service_name', 'span_name', 'span_kind', 'status_code'];
    expect(labels.filter((l) => !fixed.includes(l)).sort()).toEqual(sm.dimensions.map((d) => label(d.name)).sort());
    expect(families.get(`${label(sm.namespace)}_calls`)?.type).toBe('counter');
  });
});
