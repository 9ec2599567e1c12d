import { SpanKind, SpanStatusCode, context as api, propagation, trace } from '@opentelemetry/api';
import type { Attributes, Context, Span } from '@opentelemetry/api';
import { withBaggageIds } from '../context/extract.js';
import { sanitizeId } from '../context/ids.js';
import { MESSAGE_ID, SESSION_ID } from '../ids/attributes.js';
import { createDeltaSampler } from './delta-sampler.js';
import { MAX_ERROR_TEXT, errorName, errorText } from './error-text.js';
import type { DeltaEventOptions } from './delta-sampler.js';
import { streamResponseHeaders } from './response-headers.js';
import { TRACER_NAME, TRACER_VERSION } from './tracer.js';

export type StreamTransport = 'sse' | 'websocket' | 'grpc';
export type StreamOutcome = 'complete' | 'cancel' | 'error';

export interface StreamSpanOptions {
  /** Default `stream ${transport}`. */
  name?: string;
  transport: StreamTransport;
  /** Default `context.active()`. */
  parent?: Context;
  /** Default INTERNAL under a local span (the HTTP server span), SERVER under a remote or no parent. */
  kind?: SpanKind;
  attributes?: Attributes;
  sessionId?: string;
  messageId?: string;
  deltaEvents?: DeltaEventOptions;
  tracerName?: string;
}

export interface StreamSpan {
  span: Span;
  /** `parent` with this span set and the ids in baggage: run the stream's work inside it. */
  context: Context;
  traceId: string;
  responseHeaders(): Record<string, string>;
  /** One delta sent to the client; the first one records `streamtrace.stream.ttfb_ms`. */
  delta(bytes: number, attributes?: Attributes): void;
  /** A non-delta event or frame sent (start, done, …). */
  eventSent(): void;
  complete(attributes?: Attributes): void;
  /** The client went away before the end. Not an error: status stays UNSET. */
  cancel(reason?: string): void;
  fail(error: unknown, errorType?: string): void;
  /** True after the first terminal call; later terminal calls do nothing. */
  readonly ended: boolean;
}

const ATTR = {
  transport: 'streamtrace.stream.transport',
  deltas: 'streamtrace.stream.deltas',
  bytes: 'streamtrace.stream.bytes',
  eventsSent: 'streamtrace.stream.events_sent',
  ttfb: 'streamtrace.stream.ttfb_ms',
  outcome: 'streamtrace.stream.outcome',
  deltaEvents: 'streamtrace.stream.delta_events',
} as const;

/** Starts the span of one streamed answer (SSE, WebSocket or gRPC) and returns its recorder. */
export function startStreamSpan(options: StreamSpanOptions): StreamSpan {
  const parent = options.parent ?? api.active();
  const parentBaggage = propagation.getBaggage(parent);
  const sessionId = sanitizeId(options.sessionId) ?? sanitizeId(parentBaggage?.getEntry(SESSION_ID)?.value);
  const messageId = sanitizeId(options.messageId) ?? sanitizeId(parentBaggage?.getEntry(MESSAGE_ID)?.value);
  const parentSpan = trace.getSpanContext(parent);
  const kind = options.kind ?? (!parentSpan || parentSpan.isRemote ? SpanKind.SERVER : SpanKind.INTERNAL);

  const attributes: Attributes = { ...options.attributes, [ATTR.transport]: options.transport };
  if (sessionId) attributes[SESSION_ID] = sessionId;
  if (messageId) attributes[MESSAGE_ID] = messageId;
  const tracer = trace.getTracer(options.tracerName ?? TRACER_NAME, TRACER_VERSION);
  const span = tracer.startSpan(options.name ?? `stream ${options.transport}`, { kind, attributes }, parent);
  const startedAt = performance.now();
  span.addEvent('stream.start');

  const baggage = withBaggageIds(parentBaggage, sessionId, messageId);
  let ctx = trace.setSpan(parent, span);
  if (baggage) ctx = propagation.setBaggage(ctx, baggage);

  const sampler = createDeltaSampler(options.deltaEvents);
  let deltas = 0;
  let bytes = 0;
  let eventsSent = 0;
  let ttfbMs: number | undefined;
  let ended = false;

  const finish = (outcome: StreamOutcome, attrs?: Attributes): void => {
    ended = true;
    span.setAttributes({
      ...attrs,
      [ATTR.deltas]: deltas,
      [ATTR.bytes]: bytes,
      [ATTR.eventsSent]: eventsSent,
      [ATTR.deltaEvents]: sampler.taken,
      [ATTR.outcome]: outcome,
    });
    span.end();
  };

  return {
    span,
    context: ctx,
    traceId: span.spanContext().traceId,
    responseHeaders: () => streamResponseHeaders(ctx),
    delta(size, attrs) {
      if (ended) return;
      const n = Number.isFinite(size) && size > 0 ? Math.floor(size) : 0;
      const index = deltas++;
      bytes += n;
      eventsSent++;
      if (ttfbMs === undefined) {
        ttfbMs = Math.round((performance.now() - startedAt) * 1000) / 1000;
        span.setAttribute(ATTR.ttfb, ttfbMs);
      }
      if (sampler.take(index)) {
        span.addEvent('stream.delta', { ...attrs, 'streamtrace.delta.index': index, 'streamtrace.delta.bytes': n });
      }
    },
    eventSent() {
      if (!ended) eventsSent++;
    },
    complete(attrs) {
      if (ended) return;
      span.addEvent('stream.complete');
      finish('complete', attrs);
    },
    cancel(reason) {
      if (ended) return;
      span.addEvent('stream.cancel', reason ? { 'streamtrace.cancel.reason': errorText(reason, 256) } : undefined);
      finish('cancel');
    },
    fail(error, errorType) {
      if (ended) return;
      const type = typeof errorType === 'string' && errorType !== '' ? errorType.slice(0, 256) : errorName(error);
      const message = errorText(error);
      try {
        // The SDK reads message and stack itself: an Error whose getters throw falls back below.
        if (error instanceof Error && String(error.message).length <= MAX_ERROR_TEXT) span.recordException(error);
        else span.recordException({ name: type, message });
      } catch {
        span.recordException({ name: type, message });
      }
      span.addEvent('stream.error', { 'error.type': type });
      span.setStatus({ code: SpanStatusCode.ERROR, message });
      finish('error', { 'error.type': type });
    },
    get ended() {
      return ended;
    },
  };
}
