// Needs the built dist (`npm run build` does it): starts the real stack on free ports.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSseParser } from '../shared/sse-parser.js';
import { startStack } from '../stack/start-stack.js';
import type { Stack } from '../stack/start-stack.js';
import { readSseEvents } from './chat-client.test-helpers.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    env: { MODEL_TTFT_MS: '40', MODEL_TOKEN_DELAY_MS: '3', MODEL_JITTER_MS: '2', OTEL_METRIC_EXPORT_INTERVAL: '500' },
  });
}, 40_000);
afterAll(async () => {
  await stack?.stop();
});

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus text exposition samples (enough for the exporter's output: no escapes in our values). */
function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    // Scope labels are the exporter's bookkeeping, not dimensions we assert on.
    delete labels['otel_scope_name'];
    delete labels['otel_scope_version'];
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the series with exactly these labels (0 when it does not exist yet). */
function value(samples: Sample[], name: string, labels: Record<string, string>): number {
  const key = JSON.stringify(Object.entries(labels).sort());
  const found = samples.filter((s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === key);
  if (found.length > 1) throw new Error(`${found.length} series for ${name} ${key}`);
  return found[0]?.value ?? 0;
}

async function scrape(): Promise<{ text: string; samples: Sample[] }> {
  const response = await fetch(`${stack.urls.gateway}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  const text = await response.text();
  return { text, samples: parseSamples(text) };
}

const CHAT = { gen_ai_operation_name: 'chat', gen_ai_request_model: 'sim-gpt-1', gen_ai_provider_name: 'streamtrace.sim' };

/** Reads a stalling stream until `deltas` deltas arrived, then goes away (a cancel). */
async function cancelAfterDeltas(deltas: number): Promise<void> {
  const aborter = new AbortController();
  const response = await fetch(`${stack.urls.gateway}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message: 'tell me about stalls', fault: 'stall' }),
    signal: aborter.signal,
  });
  const parser = createSseParser();
  const decoder = new TextDecoder();
  let seen = 0;
  const reader = response.body!.getReader();
  while (seen < deltas) {
    const { value: chunk, done } = await reader.read();
    if (done) throw new Error('stream ended before the stall');
    for (const message of parser.push(decoder.decode(chunk, { stream: true }))) {
      if ((JSON.parse(message.data) as { type: string }).type === 'delta') seen++;
    }
  }
  aborter.abort();
}

describe('gateway metrics', () => {
  it('GET /metrics moves the gen_ai, outcome and retrieval series with the right labels; promtool accepts it', async () => {
    const before = (await scrape()).samples;

    const ok = await fetch(`${stack.urls.gateway}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant-id': 'acme' },
      body: JSON.stringify({ message: 'What is time to first token?' }),
    });
    const events = await readSseEvents(ok);
    const done = events.at(-1) as { type: string; usage: { inputTokens: number; outputTokens: number } };
    expect(done.type).toBe('done');
    const deltas = events.filter((e) => e.type === 'delta').length;

    const failed = await fetch(`${stack.urls.gateway}/api/chat/stream?${new URLSearchParams({ message: 'hi', fault: 'model-error', tenant: 'globex' })}`);
    expect((await readSseEvents(failed)).at(-1)?.type).toBe('error');

    await cancelAfterDeltas(2);

    // The cancel is counted once the gateway noticed the client left.
    const cancelLabels = { streamtrace_stream_outcome: 'cancel', gen_ai_request_model: 'sim-gpt-1', streamtrace_tenant_id: 'default' };
    let after = (await scrape()).samples;
    for (let i = 0; i < 50 && value(after, 'streamtrace_stream_outcomes_total', cancelLabels) === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = (await scrape()).samples;
    }
    const delta = (name: string, labels: Record<string, string>): number => value(after, name, labels) - value(before, name, labels);

    expect(delta('streamtrace_stream_outcomes_total', { streamtrace_stream_outcome: 'complete', gen_ai_request_model: 'sim-gpt-1', streamtrace_tenant_id: 'acme' })).toBe(1);
    expect(
      delta('streamtrace_stream_outcomes_total', {
        streamtrace_stream_outcome: 'error',
        gen_ai_request_model: 'sim-gpt-1',
        streamtrace_tenant_id: 'globex',
        error_type: 'model_error',
      }),
    ).toBe(1);
    expect(delta('streamtrace_stream_outcomes_total', cancelLabels)).toBe(1);

    // Operation duration: one success, one model_error; the cancelled call is not a duration.
    expect(delta('gen_ai_client_operation_duration_seconds_count', CHAT)).toBe(1);
    expect(delta('gen_ai_client_operation_duration_seconds_count', { ...CHAT, error_type: 'model_error' })).toBe(1);
    expect(delta('gen_ai_client_operation_duration_seconds_bucket', { ...CHAT, le: '+Inf' })).toBe(1);
    // Time to first chunk is not the gateway's to export: the collector derives it from spans (test below).
    expect(after.some((s) => s.name.startsWith('gen_ai_client_operation_time_to_first_chunk'))).toBe(false);
    // Every chunk after the first: deltas − 1 of the complete stream, at least 1 of the cancelled one.
    expect(delta('gen_ai_client_operation_time_per_output_chunk_seconds_count', CHAT)).toBeGreaterThanOrEqual(deltas);
    // Token usage: the done event's numbers.
    expect(delta('gen_ai_client_token_usage_count', { ...CHAT, gen_ai_token_type: 'output' })).toBe(1);
    expect(delta('gen_ai_client_token_usage_sum', { ...CHAT, gen_ai_token_type: 'output' })).toBe(done.usage.outputTokens);
    expect(delta('gen_ai_client_token_usage_sum', { ...CHAT, gen_ai_token_type: 'input' })).toBe(done.usage.inputTokens);
    // Retrieval ran for all three messages.
    const retrieval = { gen_ai_operation_name: 'retrieval', gen_ai_data_source_id: 'streamtrace-docs' };
    expect(delta('streamtrace_retrieval_duration_seconds_count', retrieval)).toBe(3);

    const { text } = await scrape();
    const check = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect({ status: check.status, stdout: check.stdout, stderr: check.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('one source per metric: time to first chunk comes from the collector, with the chat call as exemplar, and no family is on both endpoints', async () => {
    const response = await fetch(`${stack.urls.gateway}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'Which layer made this slow?' }),
    });
    const traceId = response.headers.get('x-trace-id');
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect((await readSseEvents(response)).at(-1)?.type).toBe('done');

    // The gateway's chat CLIENT span reaches the collector with the next span batch.
    const exemplar = new RegExp(`^gen_ai_client_operation_time_to_first_chunk_seconds_bucket\\{([^}]*)\\} \\d+ # \\{trace_id="${traceId}",span_id="[0-9a-f]{16}"\\}`, 'm');
    let collectorText = '';
    for (let i = 0; i < 60 && !exemplar.test(collectorText); i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 250));
      collectorText = await (await fetch(`${stack.urls.collector}/metrics`, { headers: { accept: 'application/openmetrics-text' } })).text();
    }
    const labels = exemplar.exec(collectorText)?.[1] ?? '';
    expect(labels).toContain('job="chat-gateway"');
    expect(labels).toContain('gen_ai_request_model="sim-gpt-1"');
    expect(labels).toContain('gen_ai_operation_name="chat"');

    const families = (text: string): Set<string> =>
      new Set(parseSamples(text).map((s) => s.name.replace(/_(bucket|sum|count|total|created)$/, '')));
    const fromCollector = families(collectorText);
    const fromGateway = families((await scrape()).text);
    expect(fromGateway.size).toBeGreaterThan(0);
    expect([...fromGateway].filter((name) => fromCollector.has(name))).toEqual([]);
  });

  it('pushes the same instruments as OTLP metrics to the collector', async () => {
    interface Point {
      count?: string | number;
      attributes?: { key: string; value: { stringValue?: string } }[];
    }
    interface Answer {
      resourceMetrics: { scopeMetrics: { metrics: { name: string; unit?: string; histogram?: { dataPoints: Point[] } }[] }[] }[];
    }
    const deadline = Date.now() + 15_000;
    let metrics: Answer['resourceMetrics'][number]['scopeMetrics'][number]['metrics'] = [];
    while (Date.now() < deadline) {
      const url = `${stack.urls.collector}/api/metrics?${new URLSearchParams({ name: 'gen_ai.client.operation.duration', service: 'chat-gateway' })}`;
      const answer = (await (await fetch(url)).json()) as Answer;
      metrics = answer.resourceMetrics.flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics));
      if (metrics.some((m) => (m.histogram?.dataPoints ?? []).some((p) => Number(p.count) >= 1))) break;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const metric = metrics.find((m) => m.name === 'gen_ai.client.operation.duration');
    // OTLP keeps the OTel name and unit; the Prometheus suffix is added only on the text endpoint.
    expect(metric?.unit).toBe('s');
    const attributes = metric!.histogram!.dataPoints.map((p) => Object.fromEntries((p.attributes ?? []).map((a) => [a.key, a.value.stringValue])));
    expect(attributes).toContainEqual({ 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'sim-gpt-1', 'gen_ai.provider.name': 'streamtrace.sim' });
  });
});
