import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { mutate, prng } from './fuzz.test-helpers.js';
import { messageTrace } from './messages/message-trace.test-helpers.js';
import { parseExposition } from './metrics/parse-exposition.test-helpers.js';
import { startCollector } from './start.js';
import type { RunningCollector } from './start.js';

interface Encoder {
  fromObject(value: unknown): object;
  encode(message: object): { finish(): Uint8Array };
}
const generated = createRequire(import.meta.url)('@opentelemetry/otlp-proto-decoder/build/esm/generated/root.js') as {
  opentelemetry: { proto: { collector: { metrics: { v1: { ExportMetricsServiceRequest: Encoder } } } } };
};
const MetricsRequest = generated.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;

const point = { attributes: [{ key: 'k', value: { stringValue: 'v' } }], startTimeUnixNano: '1700000000000000000', timeUnixNano: '1700000001000000000' };
const metricsJson = {
  resourceMetrics: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'fuzz' } }] },
      scopeMetrics: [
        {
          scope: { name: 'fuzz' },
          metrics: [
            { name: 'g', unit: '1', gauge: { dataPoints: [{ ...point, asDouble: 1.5 }] } },
            { name: 's', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ ...point, asInt: '4' }] } },
            { name: 'h', histogram: { aggregationTemporality: 1, dataPoints: [{ ...point, count: '3', sum: 2.5, bucketCounts: ['1', '2'], explicitBounds: [1], min: 0.1, max: 2 }] } },
            {
              name: 'e',
              exponentialHistogram: { aggregationTemporality: 2, dataPoints: [{ ...point, count: '2', scale: 3, zeroCount: '0', positive: { offset: -2, bucketCounts: ['1', '1'] } }] },
            },
            { name: 'q', summary: { dataPoints: [{ ...point, count: '2', sum: 3, quantileValues: [{ quantile: 0.5, value: 1 }] }] } },
          ],
        },
      ],
    },
  ],
};

let collector: RunningCollector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

describe('fuzzing what feeds the derived views', () => {
  it('malformed metrics and mutated message traces never break /v1/metrics, /metrics, the dashboard or the export', async () => {
    collector = await startCollector({ port: 0, panelDir: '/nonexistent', maxMetricSeries: 200 });
    const url = collector.url;
    const random = prng(7_2026);
    const proto = Buffer.from(MetricsRequest.encode(MetricsRequest.fromObject(metricsJson)).finish());
    const statuses = new Map<number, number>();
    for (let i = 0; i < 600; i++) {
      let res: Response;
      if (i % 3 === 0) {
        res = await fetch(`${url}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(mutate(metricsJson, random)) ?? 'null' });
      } else if (i % 3 === 1) {
        const bytes = Buffer.from(proto.subarray(0, Math.floor(random() * (proto.length + 1))));
        for (let f = 0; f < 2 && bytes.length > 0; f++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
        res = await fetch(`${url}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: bytes });
      } else {
        const trace = messageTrace({ ttftVisibleMs: 700, chunks: [{ arrival: 1, paint: 3 }], stalls: 1, feedback: { score: 1, label: 'ok' } });
        res = await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(mutate(trace.body, random)) ?? 'null' });
      }
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      await res.arrayBuffer();
    }
    expect([...statuses.keys()].every((status) => status === 200 || status === 400)).toBe(true);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(50);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(50);

    const metrics = await fetch(`${url}/api/metrics`);
    expect(metrics.status).toBe(200);
    const openMetrics = await (await fetch(`${url}/metrics`, { headers: { accept: 'application/openmetrics-text' } })).text();
    expect(() => parseExposition(openMetrics, 'openmetrics')).not.toThrow();
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(() => parseExposition(text, 'text')).not.toThrow();
    expect(execFileSync('/usr/bin/promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' })).toBe('');
    expect((await fetch(`${url}/api/dashboard?window=600`)).status).toBe(200);
    const exported = await (await fetch(`${url}/api/export/feedback.jsonl`)).text();
    for (const line of exported.split('\n').filter(Boolean)) expect(() => JSON.parse(line) as unknown).not.toThrow();
    const health = (await (await fetch(`${url}/api/health`)).json()) as { metricSeries: number; maxMetricSeries: number; derivedMetricSeries: number };
    expect(health.maxMetricSeries).toBe(200);
    expect(health.metricSeries).toBeGreaterThan(0);
    expect(health.metricSeries).toBeLessThanOrEqual(200);
    expect(health.derivedMetricSeries).toBeGreaterThan(0);
  }, 120_000);
});
