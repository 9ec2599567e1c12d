import { numberAttribute, scalarAttribute } from '../attributes.js';
import { stringAttribute } from '../normalize-common.js';
import { STATUS_CODE_ERROR } from '../otlp-types.js';
import type { Span, TracesData } from '../otlp-types.js';

const SPAN_KIND_CLIENT = 3;

export interface LayerTimes {
  /** Retrieval client span duration. */
  retrieval?: number;
  /** Model client span: request to first streamed chunk (`gen_ai.response.time_to_first_chunk`). */
  model?: number;
  /** Gateway stream time to first delta minus retrieval and model first chunk. */
  gateway?: number;
  /** Visible TTFT minus the gateway's time to first delta and the browser's render time. */
  transport?: number;
  /** Browser first chunk arrival to its paint (`chat.stream` aggregates). */
  render?: number;
}

export const LAYERS = ['retrieval', 'model', 'gateway', 'transport', 'render'] as const;
export type LayerName = (typeof LAYERS)[number];

export interface ErrorOrigin {
  /** `service/span name` of the error span that ended first (the origin: errors propagate upward). */
  layer: string;
  service: string;
  spanName: string;
  errorType?: string;
}

export interface Feedback {
  spanId: string;
  timeMs: number;
  name?: string;
  score?: number;
  label?: string;
  explanation?: string;
}

/** What one message trace (a `chat.message` root) says, in milliseconds. */
export interface MessageFacts {
  traceId: string;
  startMs: number;
  /** The `chat.message` span's duration. */
  durationMs: number;
  messageId?: string;
  sessionId?: string;
  conversationId?: string;
  outcome?: string;
  ttftVisibleMs?: number;
  errorType?: string;
  model?: string;
  outputTokens?: number;
  layers: LayerTimes;
  firstError?: ErrorOrigin;
  /** Latest `gen_ai.evaluation.result` event on the message span or a `chat.feedback` child. */
  feedback?: Feedback;
  /** Content, only when the services captured it on spans. */
  prompt?: string;
  answer?: string;
}

interface Located {
  span: Span;
  service: string;
  resourceSessionId?: string;
}

function nanosToMs(nanos: string): number {
  return Number(BigInt(nanos) / 1000n) / 1000;
}

function durationMs(span: Span): number {
  return Number(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1e6;
}

/** Milliseconds rounded to the microsecond: seconds × 1000 and float sums otherwise print as 287.2440090000018. */
function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function flatten(data: TracesData): Located[] {
  const out: Located[] = [];
  for (const rs of data.resourceSpans) {
    const service = stringAttribute(rs.resource.attributes, 'service.name') ?? 'unknown_service';
    const resourceSessionId = stringAttribute(rs.resource.attributes, 'session.id');
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) out.push(resourceSessionId === undefined ? { span, service } : { span, service, resourceSessionId });
    }
  }
  return out;
}

function nonNegative(value: number): number {
  return roundMs(Math.max(0, value));
}

function firstError(spans: Located[]): ErrorOrigin | undefined {
  const failed = spans.filter((located) => located.span.status.code === STATUS_CODE_ERROR);
  // A failure propagates upwards (model span → gateway client span → stream span): the origin is a
  // failed span none of whose children failed. Ending first is not enough: a client span can end on
  // the error response before the server span that caused it.
  const withFailedChild = new Set(failed.map((located) => located.span.parentSpanId).filter(Boolean));
  let origin: Located | undefined;
  for (const located of failed) {
    if (withFailedChild.has(located.span.spanId)) continue;
    if (!origin) {
      origin = located;
      continue;
    }
    const end = BigInt(located.span.endTimeUnixNano);
    const bestEnd = BigInt(origin.span.endTimeUnixNano);
    if (end < bestEnd || (end === bestEnd && BigInt(located.span.startTimeUnixNano) > BigInt(origin.span.startTimeUnixNano))) origin = located;
  }
  if (!origin) return undefined;
  const result: ErrorOrigin = { layer: `${origin.service}/${origin.span.name}`, service: origin.service, spanName: origin.span.name };
  const errorType = scalarAttribute(origin.span.attributes, 'error.type');
  if (errorType !== undefined) result.errorType = errorType;
  return result;
}

function latestFeedback(message: Span, spans: Located[]): Feedback | undefined {
  const holders = [message, ...spans.filter((l) => l.span.name === 'chat.feedback').map((l) => l.span)];
  let latest: Feedback | undefined;
  for (const span of holders) {
    for (const event of span.events) {
      if (event.name !== 'gen_ai.evaluation.result') continue;
      const timeMs = nanosToMs(event.timeUnixNano);
      if (latest && latest.timeMs > timeMs) continue;
      const feedback: Feedback = { spanId: span.spanId, timeMs };
      const name = stringAttribute(event.attributes, 'gen_ai.evaluation.name');
      if (name !== undefined) feedback.name = name;
      const score = numberAttribute(event.attributes, 'gen_ai.evaluation.score.value');
      if (score !== undefined) feedback.score = score;
      const label = stringAttribute(event.attributes, 'gen_ai.evaluation.score.label');
      if (label !== undefined) feedback.label = label;
      const explanation = stringAttribute(event.attributes, 'gen_ai.evaluation.explanation');
      if (explanation !== undefined) feedback.explanation = explanation;
      latest = feedback;
    }
  }
  return latest;
}

function layerTimes(spans: Located[], ttftVisibleMs: number | undefined): LayerTimes {
  const layers: LayerTimes = {};
  const clientSpans = spans.filter((l) => l.span.kind === SPAN_KIND_CLIENT);
  const retrieval = clientSpans.filter((l) => stringAttribute(l.span.attributes, 'gen_ai.operation.name') === 'retrieval');
  if (retrieval.length > 0) layers.retrieval = nonNegative(retrieval.reduce((sum, l) => sum + Math.max(0, durationMs(l.span)), 0));
  for (const { span } of clientSpans) {
    const ttfc = numberAttribute(span.attributes, 'gen_ai.response.time_to_first_chunk');
    if (ttfc !== undefined) {
      layers.model = nonNegative(ttfc * 1000);
      break;
    }
  }
  let ttfb: number | undefined;
  for (const { span } of spans) {
    ttfb = numberAttribute(span.attributes, 'streamtrace.stream.ttfb_ms');
    if (ttfb !== undefined) break;
  }
  if (ttfb !== undefined) layers.gateway = nonNegative(ttfb - (layers.retrieval ?? 0) - (layers.model ?? 0));
  for (const { span } of spans) {
    if (span.name !== 'chat.stream') continue;
    // The first chunk that changed the DOM; metadata chunks before it (e.g. `start`) are transport.
    const arrival =
      numberAttribute(span.attributes, 'streamtrace.chunk.first_visible_arrival_ms') ??
      numberAttribute(span.attributes, 'streamtrace.chunk.first_arrival_ms');
    const paint = numberAttribute(span.attributes, 'streamtrace.chunk.first_paint_ms');
    if (arrival === undefined || paint === undefined) continue;
    layers.render = nonNegative(paint - arrival);
    break;
  }
  if (ttftVisibleMs !== undefined && ttfb !== undefined) layers.transport = nonNegative(ttftVisibleMs - ttfb - (layers.render ?? 0));
  return layers;
}

/** The message facts of a trace whose root is a `chat.message` span; `undefined` for other traces. */
export function extractMessageFacts(traceId: string, data: TracesData): MessageFacts | undefined {
  const spans = flatten(data)
    .map((located) => ({ located, start: BigInt(located.span.startTimeUnixNano) }))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))
    .map(({ located }) => located);
  const ids = new Set(spans.map((l) => l.span.spanId));
  const root = spans.find((l) => l.span.name === 'chat.message' && (l.span.parentSpanId === undefined || !ids.has(l.span.parentSpanId)));
  if (!root) return undefined;
  const message = root.span;
  const attrs = message.attributes;
  const facts: MessageFacts = {
    traceId,
    startMs: nanosToMs(message.startTimeUnixNano),
    durationMs: nonNegative(durationMs(message)),
    layers: {},
  };
  const ttftVisibleMs = numberAttribute(attrs, 'streamtrace.ttft_visible_ms');
  if (ttftVisibleMs !== undefined) facts.ttftVisibleMs = ttftVisibleMs;
  facts.layers = layerTimes(spans, ttftVisibleMs);

  const firstString = (key: string, preferred: Span[] = []): string | undefined => {
    for (const span of [...preferred, ...spans.map((l) => l.span)]) {
      const value = scalarAttribute(span.attributes, key);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const chatClients = spans.filter((l) => l.span.kind === SPAN_KIND_CLIENT && stringAttribute(l.span.attributes, 'gen_ai.operation.name') === 'chat').map((l) => l.span);

  const messageId = scalarAttribute(attrs, 'streamtrace.message.id') ?? firstString('streamtrace.message.id');
  if (messageId !== undefined) facts.messageId = messageId;
  const sessionId = scalarAttribute(attrs, 'session.id') ?? root.resourceSessionId ?? firstString('session.id');
  if (sessionId !== undefined) facts.sessionId = sessionId;
  const conversationId = firstString('gen_ai.conversation.id', [message]);
  if (conversationId !== undefined) facts.conversationId = conversationId;
  const outcome = scalarAttribute(attrs, 'streamtrace.message.outcome');
  if (outcome !== undefined) facts.outcome = outcome;
  const origin = firstError(spans);
  if (origin) facts.firstError = origin;
  const errorType = scalarAttribute(attrs, 'error.type') ?? origin?.errorType;
  if (errorType !== undefined) facts.errorType = errorType;
  const model = firstString('gen_ai.request.model', chatClients);
  if (model !== undefined) facts.model = model;
  for (const span of [...chatClients, ...spans.map((l) => l.span)]) {
    const tokens = numberAttribute(span.attributes, 'gen_ai.usage.output_tokens');
    if (tokens !== undefined) {
      facts.outputTokens = tokens;
      break;
    }
  }
  const feedback = latestFeedback(message, spans);
  if (feedback) facts.feedback = feedback;
  const prompt = firstString('gen_ai.input.messages', chatClients);
  if (prompt !== undefined) facts.prompt = prompt;
  const browserStreams = spans.filter((l) => l.span.name === 'chat.stream').map((l) => l.span);
  const answer = firstString('gen_ai.output.messages', [...browserStreams, ...chatClients]);
  if (answer !== undefined) facts.answer = answer;
  return facts;
}
