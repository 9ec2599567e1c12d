import { SpanKind, SpanStatusCode, TraceFlags, trace, type Attributes, type Span } from '@opentelemetry/api';
import type { Runtime, OpenStream } from '../runtime.js';
import type { MessageHandle } from '../message/message.js';
import { ChunkTimeline, round } from '../timing/chunk-timeline.js';
import { ZERO, arrivalTime, eventTime, isHidden, now, toEpochMs, toSpanTime, visibleSince } from '../timing/clock.js';
import { contextValues, type ContextValues } from '../propagation/context-values.js';
import { sanitizeUrl } from '../propagation/sanitize-url.js';
import { MAX_CONTENT_CHARS, deltaText, outputMessages, payloadBytes } from './content.js';
import { safe } from '../diag.js';
import { track } from '../runtime.js';
import { openStreamsChanged } from '../vitals/long-frames.js';
import { listenForLeaving, waitForLeaving } from './page-leaving.js';

export type Transport = 'fetch' | 'eventsource' | 'websocket' | 'xhr';
export type StreamOutcome = 'complete' | 'cancel' | 'error';

/**
 * After a stream ends, its last chunks may still be committed/painted: wait at most this long. A
 * loaded renderer can draw no frame for most of a second; under the message's own 1 s limit.
 */
const SETTLE_MS = 900;
const SERIES_CAPACITY_DEVTOOLS = 20_000;
const SERIES_CAPACITY = 512;
/** EventSource/WebSocket messages held between frames before their timestamp and data are read. */
const QUEUE_SIZE = 64;
/** A commit time meaning "at the arrival of each stream's latest chunk" (see committed()). */
export const AT_ARRIVAL = -1;

/** One `chat.stream` span: a fetch body, an EventSource or a WebSocket. */
export class StreamRecorder implements OpenStream {
  declare readonly span: Span;
  readonly openedAt = now();
  declare readonly recording: boolean;
  readonly chunkTimeline: ChunkTimeline | undefined;
  ended = false;
  outcome: StreamOutcome | undefined;
  /** What ended the stream when it failed (an auto-started message fails with it). */
  errorForMessage: unknown;
  declare readonly settled: Promise<void>;
  private declare resolveSettled: () => void;
  private endedAt = ZERO;
  private capturedText = '';
  private longFrames = 0;
  private longFramesTotal = ZERO;
  private longFramesMax = ZERO;
  private reconnects = 0;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * EventSource/WebSocket messages handed to the app and not read yet: their timestamp and data are
   * read once per frame in drain(), in one loop, not while the app's listener runs. `atArrival[k]`:
   * the app had rendered that chunk when its listener returned (committed at its arrival).
   */
  private readonly eventQueue: (Event | undefined)[] = new Array<Event | undefined>(QUEUE_SIZE).fill(undefined);
  private readonly atArrival = new Uint8Array(QUEUE_SIZE);
  private queuedCount = 0;
  private lastEvent: Event | undefined;
  private declare readonly streamRuntime: Runtime;
  declare readonly message: MessageHandle;

  constructor(
    streamRuntime: Runtime,
    message: MessageHandle,
    transport: Transport,
    url: URL,
    method?: string,
  ) {
    this.streamRuntime = streamRuntime;
    this.message = message;
    const attributes: Attributes = {
      'streamtrace.stream.transport': transport,
      'url.full': sanitizeUrl(url),
      'server.address': url.hostname,
      'streamtrace.message.id': message.id,
    };
    if (url.port) attributes['server.port'] = Number(url.port);
    if (method) attributes['http.request.method'] = method.toUpperCase();
    this.span = streamRuntime.tracer.startSpan(
      'chat.stream',
      { kind: SpanKind.CLIENT, attributes, startTime: toSpanTime(this.openedAt) },
      trace.setSpan(message.context, message.span),
    );
    this.recording = this.span.isRecording();
    this.settled = new Promise((resolve) => (this.resolveSettled = resolve));
    if (this.recording) {
      // Recorded but not sampled: only the unsampled buffer sees this trace, and it needs aggregates.
      const light = (this.span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0;
      const keepSlowMs = streamRuntime.config.keepSlowMs;
      this.chunkTimeline = new ChunkTimeline({
        lightOnly: light,
        promoteOnGapMs: keepSlowMs,
        promoteAfter: message.startedAt + keepSlowMs,
        onPromote: () => message.commitsNeeded(),
        capacity: streamRuntime.devtools.active ? SERIES_CAPACITY_DEVTOOLS : SERIES_CAPACITY,
        stallMs: streamRuntime.config.stallThresholdMs,
        maxEvents: streamRuntime.config.maxChunkEvents,
        openedAt: this.openedAt,
        // The scheduler's own function (it uses no `this`): the same for every stream, one call less per commit.
        requestPaint: streamRuntime.scheduler.request,
        beforeFrame: () => this.drain(),
        isHidden,
        visibleSince,
        onFirstPaint: (at) => message.firstPaint(at),
        onSettled: () => {
          if (this.ended) this.settle();
        },
      });
      streamRuntime.openStreams.add(this);
      openStreamsChanged(streamRuntime.openStreams);
      listenForLeaving(true);
    }
    message.addStream(this);
  }

  get captureContent(): boolean {
    return this.streamRuntime.config.captureContent;
  }

  contextValues(): ContextValues {
    return contextValues(this.span.spanContext(), this.streamRuntime.session.peek(), this.message.id);
  }

  /** Response headers arrived (fetch) or the connection opened (EventSource, WebSocket). */
  response(attributes: Attributes): void {
    if (!this.recording || this.ended) return;
    // The message keeps the first of these (of any of its streams).
    this.message.firstResponse(now());
    this.span.setAttributes(attributes);
  }

  /** One chunk: a WebSocket message or a body read. `data` only matters with captureContent. */
  chunk(bytes: number, data?: string, at: number = arrivalTime()): void {
    if (!this.recording || this.ended) return;
    (this.chunkTimeline as ChunkTimeline).arrived(bytes, at);
    if (at >= this.message.nextTargetCheck) this.message.chunkArrived(at);
    if (data !== undefined && this.captureContent) this.captureData(data);
  }

  /** Several chunks that arrived together (the SSE events of one network read), sizes in `sizes[0..count)`. */
  chunks(sizes: Uint32Array, count: number, at: number): void {
    // Only a recording stream's body is observed (fetch.ts), so only `ended` needs checking.
    if (this.ended) return;
    const timeline = this.chunkTimeline as ChunkTimeline;
    for (let k = 0; k < count; k++) timeline.arrived(sizes[k] as number, at);
    if (at >= this.message.nextTargetCheck) this.message.chunkArrived(at);
  }

  /**
   * An EventSource/WebSocket message is about to reach the app's listener (see listener-wrap.ts): it
   * is queued, read at the next frame (or when the queue is full). Returns whether the wrapper must
   * call `eventDelivered()` after the listener: false for a message already counted (an event reaching
   * several listeners counts once).
   */
  eventArriving(event: Event): boolean {
    if (this.ended || event === this.lastEvent) return false;
    this.lastEvent = event;
    const k = this.queuedCount++;
    this.eventQueue[k] = event;
    this.atArrival[k] = 0;
    if (k === 0) this.streamRuntime.scheduler.request(this.chunkTimeline as ChunkTimeline);
    // Read now: the first chunk (and one after setRenderTarget) for time to first token and the render
    // target lookup; a light record's, whose arrival may promote it to full recording before the listener renders.
    if (this.queuedCount === QUEUE_SIZE || this.message.nextTargetCheck < 0 || (this.chunkTimeline as ChunkTimeline).lightOnly) this.drain();
    return true;
  }

  /** The app's first listener for the latest message returned (or threw): did it render the chunk? */
  eventDelivered(): void {
    this.message.flushCommits(AT_ARRIVAL);
  }

  /** Reads the queued messages: arrival (`event.timeStamp`), size, content; commits made in their listeners. */
  private drain(): void {
    const n = this.queuedCount;
    if (n === 0) return;
    this.queuedCount = 0;
    const timeline = this.chunkTimeline as ChunkTimeline;
    const capture = this.captureContent;
    let at = 0;
    for (let k = 0; k < n; k++) {
      const event = this.eventQueue[k] as MessageEvent;
      this.eventQueue[k] = undefined;
      at = eventTime(event);
      const data: unknown = event.data;
      timeline.arrived(payloadBytes(data), at);
      if (capture && typeof data === 'string') this.captureData(data);
      if (this.atArrival[k] === 1) timeline.commitAt(at);
    }
    if (at >= this.message.nextTargetCheck) this.message.chunkArrived(at);
  }

  private captureData(data: string): void {
    if (this.capturedText.length >= MAX_CONTENT_CHARS) return;
    const text = deltaText(data);
    if (text !== undefined) this.capturedText = (this.capturedText + text).slice(0, MAX_CONTENT_CHARS);
  }

  /** Whether this stream still wants DOM commit times (see ChunkTimeline.needsCommits). */
  get needsCommits(): boolean {
    return this.chunkTimeline?.needsCommits === true;
  }

  /**
   * The DOM target of the message changed at `at`; AT_ARRIVAL: in the task of our latest chunk (a
   * renderer that appends inside its listener), i.e. at that chunk's arrival.
   */
  committed(at: number): void {
    const timeline = this.chunkTimeline;
    if (timeline === undefined) return;
    if (at === AT_ARRIVAL) {
      if (this.queuedCount > 0) this.atArrival[this.queuedCount - 1] = 1;
      else timeline.commitAt(timeline.lastArrival);
      return;
    }
    this.drain();
    timeline.commitAt(at);
  }

  streamReconnecting(): void {
    if (this.recording && !this.ended) this.span.addEvent('stream.reconnect', { 'streamtrace.stream.reconnect.attempt': ++this.reconnects });
  }

  streamEvent(name: string, attributes?: Attributes): void {
    if (this.recording && !this.ended) this.span.addEvent(name, attributes);
  }

  /** The socket closed: cancelled with its message, else failed with `error`, else complete. */
  socketClosed(error: string | undefined, attributes: Attributes): void {
    if (this.message.cancelled) this.end('cancel', undefined, attributes);
    else this.end(error === undefined ? 'complete' : 'error', error, attributes);
  }

  longFrame(durationMs: number): void {
    this.longFrames++;
    this.longFramesTotal += durationMs;
    if (durationMs > this.longFramesMax) this.longFramesMax = durationMs;
  }

  /** Ends the stream once; later calls are ignored. */
  end(outcome: StreamOutcome, error?: unknown, attributes?: Attributes): void {
    if (this.ended) return;
    // The page may be leaving: `pagehide` would end this stream as cancelled (see page-leaving.ts).
    // Until it has ended, `outcome` is set only by a held error.
    if (waitForLeaving(outcome, this.outcome === 'error', () => this.end(outcome, error, attributes))) return void (this.outcome ??= outcome);
    if (this.queuedCount > 0) safe('stream chunks', () => this.drain());
    this.ended = true;
    this.lastEvent = undefined;
    this.outcome = outcome;
    this.errorForMessage = error;
    this.endedAt = now();
    if (this.streamRuntime.openStreams.delete(this)) {
      openStreamsChanged(this.streamRuntime.openStreams);
      listenForLeaving(this.streamRuntime.openStreams.size > 0);
    }
    const span = this.span;
    if (!this.recording) {
      span.end();
      this.resolveSettled();
    } else {
      recordOutcome(span, 'stream', outcome, error, attributes);
      if ((this.chunkTimeline as ChunkTimeline).hasPending) {
        this.settleTimer = setTimeout(this.settleNow, SETTLE_MS);
        this.streamRuntime.settlers.add(this.settleNow);
        track(this.streamRuntime, this.settled);
      } else {
        this.settle();
      }
    }
    this.message.streamEnded(this);
  }

  private readonly settleNow = (): void => this.settle();

  /** Runs only after end() of a recorded stream (its timer, `settlers`, or the timeline's onSettled once ended). */
  private settle(): void {
    if (this.settledOnce) return;
    this.settledOnce = true;
    this.streamRuntime.settlers.delete(this.settleNow);
    clearTimeout(this.settleTimer);
    const timeline = this.chunkTimeline as ChunkTimeline;
    safe('stream aggregates', () => {
      timeline.finishTimeline();
      this.writeAggregates(timeline);
      if (this.streamRuntime.devtools.active) {
        const ctx = this.span.spanContext();
        this.streamRuntime.devtools.chunks(ctx.traceId, ctx.spanId, timeline.chunkSeries(toEpochMs));
      }
    });
    this.span.end(toSpanTime(this.endedAt));
    this.resolveSettled();
  }

  private settledOnce = false;

  private writeAggregates(timeline: ChunkTimeline): void {
    const span = this.span;
    const attributes: Attributes = {
      'streamtrace.stream.chunks': timeline.chunkCount,
      'streamtrace.stream.bytes': timeline.totalBytes,
      'streamtrace.chunk.gap_ms.max': round(timeline.gapMax),
      'streamtrace.chunk.stalls': timeline.stallTotal,
      'streamtrace.chunk.events_dropped': timeline.eventsDropped,
    };
    if (timeline.firstArrival >= 0) attributes['streamtrace.chunk.first_arrival_ms'] = round(timeline.firstArrival - this.openedAt);
    if (timeline.firstPaint >= 0) attributes['streamtrace.chunk.first_paint_ms'] = round(timeline.firstPaint - this.openedAt);
    if (timeline.firstVisibleIndex >= 0) {
      // The render part of time to first visible token is first_paint − first_visible_arrival.
      attributes['streamtrace.chunk.first_visible_arrival_ms'] = round(timeline.firstVisibleArrival - this.openedAt);
      attributes['streamtrace.chunk.first_visible_index'] = timeline.firstVisibleIndex;
    }
    const p50 = timeline.latencyHist.quantile(0.5);
    if (p50 !== undefined) {
      attributes['streamtrace.chunk.render_latency_ms.p50'] = round(p50);
      attributes['streamtrace.chunk.render_latency_ms.p95'] = round(timeline.latencyHist.quantile(0.95) as number);
      attributes['streamtrace.chunk.render_latency_ms.max'] = round(timeline.latencyHist.maxMs);
      attributes['streamtrace.chunk.painted'] = timeline.latencyHist.sampleTotal;
    }
    if (this.reconnects > 0) attributes['streamtrace.stream.reconnects'] = this.reconnects;
    if (this.longFrames > 0) {
      attributes['streamtrace.long_frames.count'] = this.longFrames;
      attributes['streamtrace.long_frames.total_ms'] = round(this.longFramesTotal);
      attributes['streamtrace.long_frames.max_ms'] = round(this.longFramesMax);
    }
    if (this.capturedText.length > 0) attributes['gen_ai.output.messages'] = outputMessages(this.capturedText);
    span.setAttributes(attributes);
    for (const chunk of timeline.selectedEvents()) span.addEvent('chunk', chunk.attributes, toSpanTime(this.openedAt + chunk.arrivalMs));
  }
}

/**
 * How a `chat.message` or `chat.stream` span ended: `streamtrace.<kind>.outcome` (then `attributes`),
 * a `<kind>.cancel` event with the reason, or `error.type`, an ERROR status and the exception.
 */
export function recordOutcome(span: Span, kind: 'message' | 'stream', outcome: StreamOutcome, detail: unknown, attributes?: Attributes): void {
  // `streamtrace.stream.outcome` / `streamtrace.message.outcome`, `stream.cancel` / `message.cancel` (docs/guide.md).
  span.setAttributes({ [`streamtrace.${kind}.outcome`]: outcome, ...attributes });
  if (outcome === 'cancel') {
    span.addEvent(`${kind}.cancel`, typeof detail === 'string' ? { 'streamtrace.cancel.reason': detail.slice(0, 256) } : undefined);
  } else if (outcome === 'error') {
    span.setAttribute('error.type', errorType(detail));
    span.setStatus({ code: SpanStatusCode.ERROR, ...(detail instanceof Error ? { message: detail.message.slice(0, 256) } : {}) });
    if (detail instanceof Error) span.recordException(detail);
  }
}

export function errorType(error: unknown): string {
  if (error instanceof Error) return error.name || 'Error';
  if (typeof error === 'string' && /^[\w.-]{1,64}$/.test(error)) return error;
  return '_OTHER';
}
