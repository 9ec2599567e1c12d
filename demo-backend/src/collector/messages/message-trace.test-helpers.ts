import { hexId } from '../fixtures.test-helpers.js';

type Value = string | number | boolean;

export interface MessageTraceInput {
  traceId?: string;
  /** Epoch ms of the chat.message start. */
  startMs?: number;
  durationMs?: number;
  ttftVisibleMs?: number;
  retrievalMs?: number;
  /** Model client span's time to first chunk (the attribute is in seconds). */
  modelTtfcMs?: number;
  /** Gateway stream span's `streamtrace.stream.ttfb_ms`. */
  ttfbMs?: number;
  firstArrivalMs?: number;
  firstPaintMs?: number;
  /** `chunk` events: arrival and paint in ms from stream open. */
  chunks?: Array<{ arrival: number; paint?: number }>;
  renderP95Ms?: number;
  stalls?: number;
  transport?: 'fetch' | 'eventsource' | 'websocket';
  outcome?: 'complete' | 'cancel' | 'error';
  /** The model service fails: error spans up the chain, origin model-service. */
  modelError?: boolean;
  sessionId?: string;
  messageId?: string;
  conversationId?: string;
  model?: string;
  outputTokens?: number;
  feedback?: { score?: number; label?: string; comment?: string; onChildSpan?: boolean; atMs?: number };
  prompt?: string;
  answer?: string;
}

export interface MessageTrace {
  traceId: string;
  body: Record<string, unknown>;
  spanIds: { message: string; stream: string; gatewayStream: string; retrieval: string; chatClient: string; modelServer: string };
}

interface SpanSpec {
  service: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startMs: number;
  endMs: number;
  attributes: Record<string, Value | undefined>;
  events?: Array<{ name: string; atMs: number; attributes: Record<string, Value | undefined> }>;
  error?: boolean;
}

function anyValue(value: Value): Record<string, unknown> {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
}

function attributes(values: Record<string, Value | undefined>): Array<{ key: string; value: Record<string, unknown> }> {
  return Object.entries(values).flatMap(([key, value]) => (value === undefined ? [] : [{ key, value: anyValue(value) }]));
}

function nanos(ms: number): string {
  return (BigInt(Math.round(ms * 1000)) * 1000n).toString();
}

/** A whole message trace as the demo stack exports it: browser, gateway, vector store and model spans. */
export function messageTrace(input: MessageTraceInput = {}): MessageTrace {
  const traceId = input.traceId ?? hexId(16);
  const s = input.startMs ?? 1_764_182_400_000;
  const duration = input.durationMs ?? 2000;
  const retrieval = input.retrievalMs ?? 50;
  const ttfc = input.modelTtfcMs ?? 250;
  const ttfb = input.ttfbMs ?? retrieval + ttfc + 10;
  const model = input.model ?? 'sim-gpt-1';
  const failed = input.modelError === true;
  const outcome = input.outcome ?? (failed ? 'error' : 'complete');
  const ids = { message: hexId(8), stream: hexId(8), server: hexId(8), gatewayStream: hexId(8), retrieval: hexId(8), chatClient: hexId(8), modelServer: hexId(8) };
  const errorAttrs = failed ? { 'error.type': 'model_error' } : {};
  const feedbackAttrs = input.feedback
    ? {
        'gen_ai.evaluation.name': 'user_feedback',
        'gen_ai.evaluation.score.value': input.feedback.score,
        'gen_ai.evaluation.score.label': input.feedback.label,
        'gen_ai.evaluation.explanation': input.feedback.comment,
        'streamtrace.message.id': input.messageId,
      }
    : {};

  const spans: SpanSpec[] = [
    {
      service: 'browser',
      spanId: ids.message,
      name: 'chat.message',
      kind: 1,
      startMs: s,
      endMs: s + duration,
      attributes: {
        'session.id': input.sessionId,
        'streamtrace.message.id': input.messageId,
        'gen_ai.conversation.id': input.conversationId,
        'streamtrace.message.outcome': outcome,
        'streamtrace.ttft_visible_ms': input.ttftVisibleMs,
        ...errorAttrs,
      },
      events: input.feedback && !input.feedback.onChildSpan ? [{ name: 'gen_ai.evaluation.result', atMs: input.feedback.atMs ?? s + duration - 1, attributes: feedbackAttrs }] : [],
      error: failed,
    },
    {
      service: 'browser',
      spanId: ids.stream,
      parentSpanId: ids.message,
      name: 'chat.stream',
      kind: 3,
      startMs: s + 1,
      endMs: s + duration - 1,
      attributes: {
        'streamtrace.stream.transport': input.transport ?? 'fetch',
        'streamtrace.stream.outcome': outcome,
        'streamtrace.chunk.first_arrival_ms': input.firstArrivalMs,
        'streamtrace.chunk.first_paint_ms': input.firstPaintMs,
        'streamtrace.chunk.render_latency_ms.p95': input.renderP95Ms,
        'streamtrace.chunk.stalls': input.stalls,
        'gen_ai.output.messages': input.answer,
        ...errorAttrs,
      },
      events: (input.chunks ?? []).map((chunk, index) => ({
        name: 'chunk',
        atMs: s + 1 + chunk.arrival,
        attributes: { 'streamtrace.chunk.index': index, 'streamtrace.chunk.arrival_ms': chunk.arrival, 'streamtrace.chunk.paint_ms': chunk.paint, 'streamtrace.chunk.reason': 'sample' },
      })),
      error: failed,
    },
    { service: 'chat-gateway', spanId: ids.server, parentSpanId: ids.stream, name: 'POST /api/chat', kind: 2, startMs: s + 2, endMs: s + duration - 2, attributes: { 'session.id': input.sessionId } },
    {
      service: 'chat-gateway',
      spanId: ids.gatewayStream,
      parentSpanId: ids.server,
      name: 'stream sse',
      kind: 1,
      startMs: s + 3,
      endMs: s + duration - 3,
      attributes: {
        'streamtrace.stream.transport': 'sse',
        'streamtrace.stream.outcome': outcome,
        'streamtrace.stream.ttfb_ms': failed ? undefined : ttfb,
        'gen_ai.usage.output_tokens': failed ? undefined : input.outputTokens,
        ...errorAttrs,
      },
      error: failed,
    },
    {
      service: 'chat-gateway',
      spanId: ids.retrieval,
      parentSpanId: ids.gatewayStream,
      name: 'retrieval corpus',
      kind: 3,
      startMs: s + 4,
      endMs: s + 4 + retrieval,
      attributes: { 'gen_ai.operation.name': 'retrieval', 'gen_ai.data_source.id': 'corpus' },
    },
    {
      service: 'chat-gateway',
      spanId: ids.chatClient,
      parentSpanId: ids.gatewayStream,
      name: `chat ${model}`,
      kind: 3,
      startMs: s + 5 + retrieval,
      endMs: s + duration - 5,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': model,
        'gen_ai.response.time_to_first_chunk': failed ? undefined : ttfc / 1000,
        'gen_ai.usage.output_tokens': input.outputTokens,
        'gen_ai.input.messages': input.prompt,
        ...errorAttrs,
      },
      error: failed,
    },
    {
      service: 'model-service',
      spanId: ids.modelServer,
      parentSpanId: ids.chatClient,
      name: `chat ${model}`,
      kind: 1,
      startMs: s + 6 + retrieval,
      endMs: s + duration - 6,
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': model, 'gen_ai.response.time_to_first_chunk': failed ? undefined : ttfc / 1000, ...errorAttrs },
      error: failed,
    },
  ];
  if (input.feedback?.onChildSpan) {
    const at = input.feedback.atMs ?? s + duration + 5000;
    spans.push({
      service: 'browser',
      spanId: hexId(8),
      parentSpanId: ids.message,
      name: 'chat.feedback',
      kind: 1,
      startMs: at,
      endMs: at,
      attributes: { 'streamtrace.message.id': input.messageId },
      events: [{ name: 'gen_ai.evaluation.result', atMs: at, attributes: feedbackAttrs }],
    });
  }

  const services = [...new Set(spans.map((span) => span.service))];
  const body = {
    resourceSpans: services.map((service) => ({
      resource: { attributes: attributes({ 'service.name': service }) },
      scopeSpans: [
        {
          scope: { name: 'test' },
          spans: spans
            .filter((span) => span.service === service)
            .map((span) => ({
              traceId,
              spanId: span.spanId,
              ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
              name: span.name,
              kind: span.kind,
              startTimeUnixNano: nanos(span.startMs),
              endTimeUnixNano: nanos(span.endMs),
              attributes: attributes(span.attributes),
              events: (span.events ?? []).map((event) => ({ name: event.name, timeUnixNano: nanos(event.atMs), attributes: attributes(event.attributes) })),
              status: span.error ? { code: 2, message: 'model failed' } : {},
            })),
        },
      ],
    })),
  };
  return {
    traceId,
    body,
    spanIds: { message: ids.message, stream: ids.stream, gatewayStream: ids.gatewayStream, retrieval: ids.retrieval, chatClient: ids.chatClient, modelServer: ids.modelServer },
  };
}
