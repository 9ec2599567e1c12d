import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { nameWithUnit } from './prometheus-names.js';
import { createPrometheusReader, renderPrometheus } from './prometheus.js';

const reader = createPrometheusReader();
const provider = new MeterProvider({ readers: [reader] });
afterAll(() => provider.shutdown());

const meter = provider.getMeter('test');
meter.createHistogram('gen_ai.client.operation.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.1, 1] } })
  .record(0.5, { 'gen_ai.request.model': 'sim-gpt-1', 'gen_ai.operation.name': 'chat' });
meter.createHistogram('gen_ai.client.token.usage', { unit: '{token}' }).record(12, { 'gen_ai.token.type': 'input' });
meter.createCounter('streamtrace.stream.outcomes', { unit: '{stream}' }).add(2, { 'streamtrace.stream.outcome': 'cancel' });

/** What the stock PrometheusExporter 0.223 answers, through its own request handler. */
async function rawScrape(): Promise<string> {
  const server = createServer((req, res) => reader.getMetricsRequestHandler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  } finally {
    server.close();
  }
}

describe('Prometheus exposition', () => {
  it('stock PrometheusExporter 0.223 writes no unit suffix, which is why renderPrometheus adds it', async () => {
    const raw = await rawScrape();
    expect(raw).toMatch(/^gen_ai_client_operation_duration_count\{/m);
    expect(raw).not.toContain('gen_ai_client_operation_duration_seconds');
  });

  it('renders contract names: unit word for seconds, _total for counters, annotation units dropped', async () => {
    const text = (await renderPrometheus())!;
    expect(text).toContain('# TYPE gen_ai_client_operation_duration_seconds histogram');
    expect(text).toMatch(
      /^gen_ai_client_operation_duration_seconds_bucket\{gen_ai_request_model="sim-gpt-1",gen_ai_operation_name="chat",otel_scope_name="test",le="1"\} 1$/m,
    );
    expect(text).toMatch(/^gen_ai_client_operation_duration_seconds_count\{.*\} 1$/m);
    expect(text).toMatch(/^gen_ai_client_token_usage_sum\{gen_ai_token_type="input",otel_scope_name="test"\} 12$/m);
    expect(text).toMatch(/^streamtrace_stream_outcomes_total\{streamtrace_stream_outcome="cancel",otel_scope_name="test"\} 2$/m);
  });

  it('is accepted by promtool check metrics', async () => {
    const text = (await renderPrometheus())!;
    const result = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect({ status: result.status, stderr: result.stderr, stdout: result.stdout }).toEqual({ status: 0, stderr: '', stdout: '' });
  });
});

describe('nameWithUnit', () => {
  it('appends the Prometheus unit word once, and nothing for annotations or unknown units', () => {
    expect(nameWithUnit('streamtrace.retrieval.duration', 's')).toBe('streamtrace.retrieval.duration_seconds');
    expect(nameWithUnit('payload.size', 'By')).toBe('payload.size_bytes');
    expect(nameWithUnit('queue.wait_seconds', 's')).toBe('queue.wait_seconds');
    expect(nameWithUnit('gen_ai.client.token.usage', '{token}')).toBe('gen_ai.client.token.usage');
    expect(nameWithUnit('things', '')).toBe('things');
  });
});
