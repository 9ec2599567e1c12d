import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { messageTrace } from '../messages/message-trace.test-helpers.js';
import { normalizeTraces } from '../normalize-traces.js';
import { hexId, otlpJson } from '../fixtures.test-helpers.js';
import { renderMetrics } from './exposition.js';
import { createMetricRegistry } from './registry.js';
import { createSpanMetrics } from './span-metrics.js';
import { findSample, parseExposition } from './parse-exposition.test-helpers.js';

function setup(maxSeriesPerMetric?: number) {
  const registry = createMetricRegistry(maxSeriesPerMetric === undefined ? {} : { maxSeriesPerMetric });
  const metrics = createSpanMetrics(registry);
  return {
    registry,
    ingest: (body: unknown) => metrics.observe(normalizeTraces(body, 'hex').data),
    render: (format: 'openmetrics' | 'text') => parseExposition(renderMetrics(registry.families(), format), format),
  };
}

describe('span-derived metrics', () => {
  it('fills the TTFT histogram from chat.message with cumulative buckets and the trace as exemplar', () => {
    const m = setup();
    const slow = messageTrace({ ttftVisibleMs: 1200 });
    m.ingest(messageTrace({ ttftVisibleMs: 80 }).body);
    m.ingest(messageTrace({ ttftVisibleMs: 300 }).body);
    m.ingest(slow.body);
    m.ingest(messageTrace({ ttftVisibleMs: 45_000 }).body);

    const family = m.render('openmetrics').get('streamtrace_ttft_visible_seconds');
    expect(family?.type).toBe('histogram');
    expect(family?.unit).toBe('seconds');
    const bucket = (le: string) => findSample(family, 'streamtrace_ttft_visible_seconds_bucket', { job: 'browser', le });
    expect(bucket('0.1')?.value).toBe(1);
    expect(bucket('0.25')?.value).toBe(1);
    expect(bucket('0.5')?.value).toBe(2);
    expect(bucket('1.0')?.value).toBe(2);
    expect(bucket('1.5')?.value).toBe(3);
    expect(bucket('30.0')?.value).toBe(3);
    expect(bucket('+Inf')?.value).toBe(4);
    expect(findSample(family, 'streamtrace_ttft_visible_seconds_count', { job: 'browser' })?.value).toBe(4);
    expect(findSample(family, 'streamtrace_ttft_visible_seconds_sum', { job: 'browser' })?.value).toBeCloseTo(0.08 + 0.3 + 1.2 + 45, 9);
    expect(bucket('1.5')?.exemplar).toEqual({
      labels: { trace_id: slow.traceId, span_id: slow.spanIds.message },
      value: 1.2,
      timestamp: (1_764_182_400_000 + 2000) / 1000,
    });
    // Buckets keep the latest exemplar; buckets nothing fell into have none.
    expect(bucket('0.75')?.exemplar).toBeUndefined();
  });

  it('keeps the latest exemplar of a bucket', () => {
    const m = setup();
    m.ingest(messageTrace({ ttftVisibleMs: 400 }).body);
    const later = messageTrace({ ttftVisibleMs: 450 });
    m.ingest(later.body);
    const family = m.render('openmetrics').get('streamtrace_ttft_visible_seconds');
    const bucket = findSample(family, 'streamtrace_ttft_visible_seconds_bucket', { job: 'browser', le: '0.5' });
    expect(bucket?.value).toBe(2);
    expect(bucket?.exemplar?.labels.trace_id).toBe(later.traceId);
    expect(bucket?.exemplar?.value).toBe(0.45);
  });

  it('derives first-chunk, first-byte, render, stall and per-chunk metrics with the contract labels', () => {
    const m = setup();
    const trace = messageTrace({
      ttftVisibleMs: 900,
      modelTtfcMs: 300,
      ttfbMs: 420,
      renderP95Ms: 20,
      stalls: 2,
      transport: 'eventsource',
      chunks: [
        { arrival: 500, paint: 503 },
        { arrival: 600, paint: 640 },
        { arrival: 700 },
      ],
    });
    m.ingest(trace.body);
    const families = m.render('openmetrics');

    const ttfc = families.get('gen_ai_client_operation_time_to_first_chunk_seconds');
    // CLIENT span only: the model service's own chat span carries the attribute too.
    const ttfcLabels = { job: 'chat-gateway', gen_ai_request_model: 'sim-gpt-1', gen_ai_operation_name: 'chat' };
    expect(findSample(ttfc, 'gen_ai_client_operation_time_to_first_chunk_seconds_count', ttfcLabels)?.value).toBe(1);
    expect(ttfc?.samples.filter((s) => s.name.endsWith('_count'))).toHaveLength(1);
    const ttfcBucket = findSample(ttfc, 'gen_ai_client_operation_time_to_first_chunk_seconds_bucket', { ...ttfcLabels, le: '0.5' });
    expect(ttfcBucket?.value).toBe(1);
    expect(ttfcBucket?.exemplar?.labels).toEqual({ trace_id: trace.traceId, span_id: trace.spanIds.chatClient });

    const ttfb = families.get('streamtrace_stream_ttfb_seconds');
    expect(findSample(ttfb, 'streamtrace_stream_ttfb_seconds_sum', { job: 'chat-gateway', streamtrace_stream_transport: 'sse' })?.value).toBeCloseTo(0.42);

    const byTransport = { job: 'browser', streamtrace_stream_transport: 'eventsource' };
    const chunk = families.get('streamtrace_chunk_render_latency_seconds');
    expect(findSample(chunk, 'streamtrace_chunk_render_latency_seconds_count', byTransport)?.value).toBe(2);
    expect(findSample(chunk, 'streamtrace_chunk_render_latency_seconds_bucket', { ...byTransport, le: '0.004' })?.value).toBe(1);
    expect(findSample(chunk, 'streamtrace_chunk_render_latency_seconds_bucket', { ...byTransport, le: '0.033' })?.value).toBe(1);
    expect(findSample(chunk, 'streamtrace_chunk_render_latency_seconds_bucket', { ...byTransport, le: '0.05' })?.value).toBe(2);
    expect(findSample(chunk, 'streamtrace_chunk_render_latency_seconds_bucket', { ...byTransport, le: '0.05' })?.exemplar?.labels.span_id).toBe(trace.spanIds.stream);

    const p95 = families.get('streamtrace_stream_render_latency_p95_seconds');
    expect(findSample(p95, 'streamtrace_stream_render_latency_p95_seconds_bucket', { ...byTransport, le: '0.016' })?.value).toBe(0);
    expect(findSample(p95, 'streamtrace_stream_render_latency_p95_seconds_bucket', { ...byTransport, le: '0.033' })?.value).toBe(1);

    const stalls = families.get('streamtrace_stream_stalls');
    expect(findSample(stalls, 'streamtrace_stream_stalls_bucket', { ...byTransport, le: '1.0' })?.value).toBe(0);
    expect(findSample(stalls, 'streamtrace_stream_stalls_bucket', { ...byTransport, le: '2.0' })?.value).toBe(1);
    expect(findSample(families.get('streamtrace_stream_stall_gaps'), 'streamtrace_stream_stall_gaps_total', byTransport)?.value).toBe(2);
  });

  it('counts spans and errors per layer with the span_metrics labels, stream outcomes included', () => {
    const m = setup();
    m.ingest(messageTrace({ ttftVisibleMs: 500 }).body);
    m.ingest(messageTrace({ modelError: true }).body);
    const families = m.render('openmetrics');
    const calls = families.get('traces_span_metrics_calls');
    expect(calls?.type).toBe('counter');
    expect(
      findSample(calls, 'traces_span_metrics_calls_total', {
        job: 'model-service',
        service_name: 'model-service',
        span_name: 'chat sim-gpt-1',
        span_kind: 'SPAN_KIND_INTERNAL',
        status_code: 'STATUS_CODE_ERROR',
        gen_ai_request_model: 'sim-gpt-1',
        gen_ai_operation_name: 'chat',
        error_type: 'model_error',
      })?.value,
    ).toBe(1);
    expect(
      findSample(calls, 'traces_span_metrics_calls_total', {
        job: 'browser',
        service_name: 'browser',
        span_name: 'chat.message',
        span_kind: 'SPAN_KIND_INTERNAL',
        status_code: 'STATUS_CODE_UNSET',
        streamtrace_message_outcome: 'complete',
      })?.value,
    ).toBe(1);
    const duration = families.get('traces_span_metrics_duration_seconds');
    const streamLabels = {
      job: 'browser',
      service_name: 'browser',
      span_name: 'chat.stream',
      span_kind: 'SPAN_KIND_CLIENT',
      status_code: 'STATUS_CODE_ERROR',
      streamtrace_stream_outcome: 'error',
      error_type: 'model_error',
    };
    // 1998 ms: between the 1 s and 2 s bounds.
    expect(findSample(duration, 'traces_span_metrics_duration_seconds_bucket', { ...streamLabels, le: '1.0' })?.value).toBe(0);
    expect(findSample(duration, 'traces_span_metrics_duration_seconds_bucket', { ...streamLabels, le: '2.0' })?.value).toBe(1);
    const streams = families.get('streamtrace_streams');
    expect(findSample(streams, 'streamtrace_streams_total', { job: 'browser', streamtrace_stream_transport: 'fetch', streamtrace_stream_outcome: 'error' })?.value).toBe(1);
    expect(findSample(streams, 'streamtrace_streams_total', { job: 'chat-gateway', streamtrace_stream_transport: 'sse', streamtrace_stream_outcome: 'complete' })?.value).toBe(1);
  });

  it('never uses session, message or conversation ids as labels', () => {
    const m = setup();
    m.ingest(messageTrace({ ttftVisibleMs: 500, sessionId: 'sess-secret', messageId: 'msg-secret', conversationId: 'conv-secret' }).body);
    const text = renderMetrics(m.registry.families(), 'openmetrics');
    expect(text).not.toMatch(/secret/);
  });

  it('bounds the series of each metric and counts what it dropped', () => {
    const m = setup(5);
    const traceId = hexId(16);
    // Span names made unique per request: the cardinality accident the bound exists for.
    m.ingest(otlpJson('svc', Array.from({ length: 12 }, (_, i) => ({ traceId, name: `GET /item/${i}` }))));
    const families = m.render('text');
    expect(families.get('traces_span_metrics_calls_total')?.samples).toHaveLength(5);
    const durationCounts = families.get('traces_span_metrics_duration_seconds')?.samples.filter((s) => s.name.endsWith('_count'));
    expect(durationCounts).toHaveLength(5);
    const dropped = families.get('streamtrace_collector_dropped_observations_total');
    expect(findSample(dropped, 'streamtrace_collector_dropped_observations_total', { metric: 'traces_span_metrics_calls' })?.value).toBe(7);
    expect(findSample(dropped, 'streamtrace_collector_dropped_observations_total', { metric: 'traces_span_metrics_duration_seconds' })?.value).toBe(7);
    expect(m.registry.stats()).toEqual({ derivedMetricSeries: 10, maxSeriesPerMetric: 5, droppedMetricObservations: 14 });
  });

  it('writes text format 0.0.4 that promtool accepts and OpenMetrics that parses back with # EOF', () => {
    const m = setup();
    m.ingest(messageTrace({ ttftVisibleMs: 700, chunks: [{ arrival: 10, paint: 14 }], renderP95Ms: 4, stalls: 0 }).body);
    m.ingest(messageTrace({ modelError: true }).body);
    m.ingest(otlpJson('svc "quoted"\\name', [{ traceId: hexId(16), name: 'line\nbreak' }]));
    const text = renderMetrics(m.registry.families(), 'text');
    const om = renderMetrics(m.registry.families(), 'openmetrics');
    expect(() => parseExposition(text, 'text')).not.toThrow();
    expect(() => parseExposition(om, 'openmetrics')).not.toThrow();
    expect(om.endsWith('# EOF\n')).toBe(true);
    expect(text).not.toContain('# {');
    expect(om).toContain('# {trace_id="');
    const escaped = parseExposition(text, 'text').get('traces_span_metrics_calls_total');
    expect(escaped?.samples.some((s) => s.labels.job === 'svc "quoted"\\name' && s.labels.span_name === 'line\nbreak')).toBe(true);

    // promtool is the Debian `prometheus` package; CI installs it.
    expect(existsSync('/usr/bin/promtool')).toBe(true);
    const output = execFileSync('/usr/bin/promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(output).toBe('');
  });
});
