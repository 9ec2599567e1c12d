import { numberAttribute, scalarAttribute } from '../attributes.js';
import { stringAttribute } from '../normalize-common.js';
import type { Span, TracesData } from '../otlp-types.js';
import type { CounterFamily, HistogramFamily, LabelPairs, MetricRegistry } from './registry.js';

// Bucket bounds of docs/deploy/README.md's metric-name contract (and otel-collector.yaml).
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60];
export const TTFT_BUCKETS = [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 7.5, 10, 15, 20, 30];
export const FIRST_BYTE_BUCKETS = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20, 30];
export const RENDER_BUCKETS = [0.004, 0.008, 0.016, 0.033, 0.05, 0.1, 0.25, 0.5, 1, 2];
export const STALL_BUCKETS = [0, 1, 2, 5, 10];

const SPAN_KINDS = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];
const SPAN_KIND_CLIENT = 3;

// span_metrics' extra dimensions: bounded values only. Session, message and conversation ids
// never become labels (one series per user would follow).
const DIMENSIONS: ReadonlyArray<readonly [string, string]> = [
  ['gen_ai.request.model', 'gen_ai_request_model'],
  ['gen_ai.operation.name', 'gen_ai_operation_name'],
  ['streamtrace.stream.outcome', 'streamtrace_stream_outcome'],
  ['streamtrace.message.outcome', 'streamtrace_message_outcome'],
  ['error.type', 'error_type'],
];

export interface SpanMetrics {
  /** Updates every derived metric from newly stored spans (never from repeated ones). */
  observe(data: TracesData): void;
}

interface Families {
  calls: CounterFamily;
  duration: HistogramFamily;
  ttftVisible: HistogramFamily;
  streamTtfb: HistogramFamily;
  timeToFirstChunk: HistogramFamily;
  renderP95: HistogramFamily;
  stalls: HistogramFamily;
  chunkRender: HistogramFamily;
  streams: CounterFamily;
  stallGaps: CounterFamily;
}

function registerFamilies(registry: MetricRegistry): Families {
  return {
    calls: registry.counter({ name: 'traces_span_metrics_calls', help: 'Spans received, by layer, span name, kind, status and bounded GenAI/stream attributes.' }),
    duration: registry.histogram({
      name: 'traces_span_metrics_duration_seconds',
      unit: 'seconds',
      help: 'Span duration (end - start).',
      buckets: DURATION_BUCKETS,
    }),
    ttftVisible: registry.histogram({
      name: 'streamtrace_ttft_visible_seconds',
      unit: 'seconds',
      help: 'Time from sending a message to the first answer text painted on screen (browser chat.message).',
      buckets: TTFT_BUCKETS,
    }),
    streamTtfb: registry.histogram({
      name: 'streamtrace_stream_ttfb_seconds',
      unit: 'seconds',
      help: 'Gateway stream span from start to the first delta written.',
      buckets: FIRST_BYTE_BUCKETS,
    }),
    timeToFirstChunk: registry.histogram({
      name: 'gen_ai_client_operation_time_to_first_chunk_seconds',
      unit: 'seconds',
      help: 'Model client span from request to the first streamed chunk.',
      buckets: FIRST_BYTE_BUCKETS,
    }),
    renderP95: registry.histogram({
      name: 'streamtrace_stream_render_latency_p95_seconds',
      unit: 'seconds',
      help: 'Per browser stream, the p95 of chunk arrival-to-paint latency (one observation per stream).',
      buckets: RENDER_BUCKETS,
    }),
    stalls: registry.histogram({
      name: 'streamtrace_stream_stalls',
      help: 'Gaps longer than the SDK stall threshold, per browser stream (one observation per stream).',
      buckets: STALL_BUCKETS,
    }),
    chunkRender: registry.histogram({
      name: 'streamtrace_chunk_render_latency_seconds',
      unit: 'seconds',
      help: 'Chunk arrival to paint in the browser, one observation per chunk span event.',
      buckets: RENDER_BUCKETS,
    }),
    streams: registry.counter({ name: 'streamtrace_streams', help: 'Finished stream spans (browser chat.stream, gateway stream) by transport and outcome.' }),
    stallGaps: registry.counter({ name: 'streamtrace_stream_stall_gaps', help: 'Stalls (chunk gaps above the SDK threshold) summed over browser streams.' }),
  };
}

function nanosToMs(nanos: string): number {
  return Number(BigInt(nanos) / 1000n) / 1000;
}

function spanMetricLabels(job: string, span: Span): LabelPairs {
  const labels: Array<readonly [string, string]> = [
    ['job', job],
    ['service_name', job],
    ['span_name', span.name],
    ['span_kind', SPAN_KINDS[span.kind] ?? 'SPAN_KIND_UNSPECIFIED'],
    ['status_code', STATUS_CODES[span.status.code ?? 0] ?? 'STATUS_CODE_UNSET'],
  ];
  for (const [attribute, label] of DIMENSIONS) {
    const value = scalarAttribute(span.attributes, attribute);
    if (value !== undefined) labels.push([label, value]);
  }
  return labels;
}

function observeSpan(families: Families, job: string, span: Span): void {
  const attrs = span.attributes;
  const endMs = nanosToMs(span.endTimeUnixNano);
  const exemplar = { traceId: span.traceId, spanId: span.spanId, timestampMs: endMs };

  const labels = spanMetricLabels(job, span);
  families.calls.add(labels);
  families.duration.observe(labels, (endMs - nanosToMs(span.startTimeUnixNano)) / 1000, exemplar);

  const transport = scalarAttribute(attrs, 'streamtrace.stream.transport') ?? 'unknown';
  const ttftVisible = numberAttribute(attrs, 'streamtrace.ttft_visible_ms');
  if (span.name === 'chat.message' && ttftVisible !== undefined) families.ttftVisible.observe([['job', job]], ttftVisible / 1000, exemplar);

  const ttfb = numberAttribute(attrs, 'streamtrace.stream.ttfb_ms');
  if (ttfb !== undefined) families.streamTtfb.observe([['job', job], ['streamtrace_stream_transport', transport]], ttfb / 1000, exemplar);

  // CLIENT only: the model service's own chat span may carry the same attribute (counted twice otherwise).
  const ttfc = numberAttribute(attrs, 'gen_ai.response.time_to_first_chunk');
  if (span.kind === SPAN_KIND_CLIENT && ttfc !== undefined) {
    families.timeToFirstChunk.observe(
      [
        ['job', job],
        ['gen_ai_request_model', scalarAttribute(attrs, 'gen_ai.request.model') ?? 'unknown'],
        ['gen_ai_operation_name', scalarAttribute(attrs, 'gen_ai.operation.name') ?? 'chat'],
      ],
      ttfc,
      exemplar,
    );
  }

  const outcome = scalarAttribute(attrs, 'streamtrace.stream.outcome');
  if (outcome !== undefined && transport !== 'unknown') {
    families.streams.add([['job', job], ['streamtrace_stream_transport', transport], ['streamtrace_stream_outcome', outcome]]);
  }

  if (span.name !== 'chat.stream') return;
  const byTransport: LabelPairs = [['job', job], ['streamtrace_stream_transport', transport]];
  const p95 = numberAttribute(attrs, 'streamtrace.chunk.render_latency_ms.p95');
  if (p95 !== undefined) families.renderP95.observe(byTransport, p95 / 1000, exemplar);
  const stalls = numberAttribute(attrs, 'streamtrace.chunk.stalls');
  if (stalls !== undefined) {
    families.stalls.observe(byTransport, stalls, exemplar);
    if (stalls > 0) families.stallGaps.add(byTransport, stalls);
  }
  for (const event of span.events) {
    if (event.name !== 'chunk') continue;
    const arrival = numberAttribute(event.attributes, 'streamtrace.chunk.arrival_ms');
    const paint = numberAttribute(event.attributes, 'streamtrace.chunk.paint_ms');
    if (arrival === undefined || paint === undefined) continue;
    families.chunkRender.observe(byTransport, (paint - arrival) / 1000, { ...exemplar, timestampMs: nanosToMs(event.timeUnixNano) });
  }
}

/**
 * Span-derived metrics, as the production collector's span_metrics and signal_to_metrics
 * connectors produce them (names, units, labels and buckets of the metric-name contract in
 * docs/deploy/README.md), plus the per-chunk render latency only span events can give.
 */
export function createSpanMetrics(registry: MetricRegistry): SpanMetrics {
  const families = registerFamilies(registry);
  return {
    observe(data) {
      for (const rs of data.resourceSpans) {
        const job = stringAttribute(rs.resource.attributes, 'service.name') ?? 'unknown_service';
        for (const ss of rs.scopeSpans) for (const span of ss.spans) observeSpan(families, job, span);
      }
    },
  };
}
