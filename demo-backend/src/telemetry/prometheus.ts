import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { createPreAggregatedProducer } from './pre-aggregated-histogram.js';
import { withUnitSuffixes } from './prometheus-names.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * The pull reader behind a service's Prometheus text endpoint. register.js creates it (as a
 * second metric reader beside OTLP); the gateway serves it on `GET /metrics`. Module state on
 * purpose: register.js and the application import this same module instance.
 */
let reader: PrometheusExporter | undefined;
const serializer = new PrometheusSerializer();

export function createPrometheusReader(): PrometheusExporter {
  // No server of its own: the service answers scrapes on its existing port.
  reader = new PrometheusExporter({
    preventServerStart: true,
    // Prometheus readers are cumulative; per-chunk histograms come from pre-aggregated-histogram.ts.
    metricProducers: [createPreAggregatedProducer(() => AggregationTemporality.CUMULATIVE)],
  });
  return reader;
}

/** The current metrics in Prometheus text format, or undefined when metrics are not enabled. */
export async function renderPrometheus(): Promise<string | undefined> {
  if (!reader) return undefined;
  const { resourceMetrics } = await reader.collect();
  return serializer.serialize(withUnitSuffixes(resourceMetrics));
}
