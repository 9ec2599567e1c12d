import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { postJson } from '../fixtures.test-helpers.js';
import { messageTrace } from '../messages/message-trace.test-helpers.js';
import { startCollector } from '../start.js';
import { negotiateFormat } from './exposition.js';
import { findSample, parseExposition } from './parse-exposition.test-helpers.js';
import type { RunningCollector } from '../start.js';

let collector: RunningCollector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

const PROMETHEUS_ACCEPT = 'application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';

describe('GET /metrics', () => {
  it('answers OpenMetrics with exemplars to a Prometheus scrape and text 0.0.4 otherwise', async () => {
    collector = await startCollector({ port: 0, panelDir: '/nonexistent' });
    const trace = messageTrace({ ttftVisibleMs: 640 });
    await postJson(`${collector.url}/v1/traces`, trace.body);
    // An exporter retry of the same spans must not be counted twice.
    await postJson(`${collector.url}/v1/traces`, trace.body);

    const om = await fetch(`${collector.url}/metrics`, { headers: { accept: PROMETHEUS_ACCEPT } });
    expect(om.headers.get('content-type')).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    const omBody = await om.text();
    const family = parseExposition(omBody, 'openmetrics').get('streamtrace_ttft_visible_seconds');
    const bucket = findSample(family, 'streamtrace_ttft_visible_seconds_bucket', { job: 'browser', le: '0.75' });
    expect(bucket?.value).toBe(1);
    expect(bucket?.exemplar?.labels).toEqual({ trace_id: trace.traceId, span_id: trace.spanIds.message });
    expect(findSample(family, 'streamtrace_ttft_visible_seconds_count', { job: 'browser' })?.value).toBe(1);

    const plain = await fetch(`${collector.url}/metrics`);
    expect(plain.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await plain.text();
    expect(parseExposition(text, 'text').get('streamtrace_ttft_visible_seconds')?.samples.length).toBeGreaterThan(0);
    expect(execFileSync('/usr/bin/promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' })).toBe('');

    const health = (await (await fetch(`${collector.url}/api/health`)).json()) as Record<string, number>;
    expect(health.derivedMetricSeries).toBeGreaterThan(0);
    expect(health.metricSeries).toBe(0);
    expect(health.droppedMetricObservations).toBe(0);
  });

  it('negotiates by quality value', () => {
    expect(negotiateFormat(PROMETHEUS_ACCEPT)).toBe('openmetrics');
    expect(negotiateFormat('application/openmetrics-text')).toBe('openmetrics');
    expect(negotiateFormat(undefined)).toBe('text');
    expect(negotiateFormat('*/*')).toBe('text');
    expect(negotiateFormat('text/plain;q=0.9,application/openmetrics-text;q=0.5')).toBe('text');
    expect(negotiateFormat('application/openmetrics-text;q=0')).toBe('text');
  });
});
