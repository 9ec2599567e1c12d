import { ROOT_CONTEXT, trace, type Attributes, type Context, type Link, type Span } from '@opentelemetry/api';
import type { Runtime } from '../runtime.js';
import type { StreamRecorder } from '../streams/stream-recorder.js';
import { recordOutcome } from '../streams/stream-recorder.js';
import { createCommitObserver, findRenderTarget, type CommitObserver } from '../timing/commit-observer.js';
import { round } from '../timing/chunk-timeline.js';
import { UNSET, ZERO, now, toSpanTime } from '../timing/clock.js';
import { randomId } from '../session/ids.js';
import { waitForLeaving } from '../streams/page-leaving.js';
import { safe } from '../diag.js';
import { track } from '../runtime.js';

export type MessageOutcome = 'complete' | 'cancel' | 'error';

export interface StartMessageOptions {
  conversationId?: string;
  attributes?: Attributes;
}

export interface FeedbackOptions {
  score: number;
  label?: string;
  comment?: string;
}

/** The public handle of one chat message (one trace). */
export interface Message {
  readonly id: string;
  readonly traceId: string;
  /** OpenTelemetry context holding the `chat.message` span (for `context.with` under zone.js). */
  readonly context: Context;
  readonly ended: boolean;
  setRenderTarget(element: Element | null): void;
  end(): void;
  cancel(reason?: string): void;
  fail(error?: unknown): void;
  regenerate(options?: StartMessageOptions): Message;
  feedback(feedback: FeedbackOptions): void;
}

/** Internal view used by stream recorders. */
export interface MessageHandle {
  readonly id: string;
  readonly cancelled: boolean;
  readonly span: Span;
  readonly context: Context;
  /** Streams call `chunkArrived` only for a chunk at or after this time (ttft, render target lookups). */
  readonly nextTargetCheck: number;
  readonly startedAt: number;
  addStream(stream: StreamRecorder): void;
  streamEnded(stream: StreamRecorder): void;
  chunkArrived(at: number): void;
  /** The app's listener for a chunk returned: a DOM change it made synchronously is that chunk's commit, at `at`. */
  flushCommits(at: number): void;
  /** A stream wants commit times again (a sampled-out stream promoted to full recording). */
  commitsNeeded(): void;
  firstResponse(at: number): void;
  firstPaint(at: number): void;
}

/** How often (at most) we look again for the message's render target while using the body fallback. */
const TARGET_RETRY_MS = 250;
/** Spans ending after the message must not hold it open forever. */
const MESSAGE_SETTLE_MS = 1000;

export interface MessageDeps {
  runtime: Runtime;
  /** Told of the render target (it may mark an element the app adds there for Element Timing). */
  presentationWatch?: { watchTarget(target: Node): void; unmark(): void };
  onEnded(message: ChatMessage): void;
  startMessage(options: StartMessageOptions, links?: Link[]): ChatMessage;
}

export class ChatMessage implements Message, MessageHandle {
  readonly id: string;
  readonly span: Span;
  readonly context: Context;
  readonly startedAt = now();
  readonly auto: boolean;
  ended = false;
  nextTargetCheck = UNSET;
  private endRequested = false;
  private readonly messageStreams: StreamRecorder[] = [];
  private readonly commitObserver: CommitObserver;
  private explicitTarget = false;
  private firstByteAt = UNSET;
  private ttft = UNSET;
  private ttftVisible = UNSET;
  private endedAt = ZERO;
  private readonly conversation: string | undefined;

  private readonly messageDeps: MessageDeps;

  constructor(deps: MessageDeps, options: StartMessageOptions, auto: boolean, links?: Link[]) {
    this.messageDeps = deps;
    this.auto = auto;
    this.id = randomId();
    this.conversation = options.conversationId;
    const attributes: Attributes = { ...options.attributes, 'streamtrace.message.id': this.id };
    if (options.conversationId) attributes['gen_ai.conversation.id'] = String(options.conversationId);
    if (auto) attributes['streamtrace.message.auto'] = true;
    this.span = deps.runtime.tracer.startSpan(
      'chat.message',
      { attributes, startTime: toSpanTime(this.startedAt), links },
      ROOT_CONTEXT,
    );
    this.context = trace.setSpan(ROOT_CONTEXT, this.span);
    this.commitObserver = createCommitObserver((at) => {
      for (let i = 0; i < this.messageStreams.length; i++) (this.messageStreams[i] as StreamRecorder).committed(at);
    }, (target) => deps.presentationWatch?.watchTarget(target));
    // The observer's own function: one call less on each chunk's path.
    this.flushCommits = this.commitObserver.flush;
  }

  readonly flushCommits: (at: number) => void;

  /** The app cancelled this message (streams closing afterwards end as `cancel`). */
  get cancelled(): boolean {
    return this.outcome === 'cancel';
  }

  private outcome: MessageOutcome | undefined;

  get traceId(): string {
    return this.span.spanContext().traceId;
  }

  setRenderTarget(element: Element | null): void {
    safe('setRenderTarget', () => {
      this.nextTargetCheck = UNSET;
      if (element) {
        this.explicitTarget = true;
        if (this.unsettledStreams > 0) this.commitObserver.observe(element);
        else this.pendingTarget = element;
      } else {
        this.explicitTarget = false;
        this.pendingTarget = undefined;
      }
    });
  }

  private pendingTarget: Element | undefined;

  addStream(stream: StreamRecorder): void {
    this.messageStreams.push(stream);
    this.unsettledStreams++;
    this.commitObserver.resume();
    void stream.settled.then(this.streamSettled);
  }

  /** Streams whose chunks may still be committed; the DOM observer is paused while there are none. */
  private unsettledStreams = 0;

  private readonly streamSettled = (): void => {
    if (--this.unsettledStreams === 0) {
      this.commitObserver.pause();
      this.messageDeps.presentationWatch?.unmark();
    }
  };

  chunkArrived(at: number): void {
    if (this.ttft < 0) this.ttft = at;
    if (this.explicitTarget) {
      if (this.pendingTarget) {
        this.commitObserver.observe(this.pendingTarget);
        this.pendingTarget = undefined;
      }
      this.nextTargetCheck = Infinity;
      return;
    }
    this.nextTargetCheck = at + TARGET_RETRY_MS;
    const target = findRenderTarget(this.id);
    if (target) {
      this.commitObserver.observe(target);
      // Found the exact element: stop looking.
      if (target.getAttribute('data-streamtrace-message') === this.id) this.nextTargetCheck = Infinity;
    } else if (this.commitObserver.observing === undefined && typeof document !== 'undefined' && document.body) {
      this.commitObserver.observe(document.body);
    }
  }

  commitsNeeded(): void {
    if (this.unsettledStreams > 0) this.commitObserver.resume();
  }

  firstResponse(at: number): void {
    if (this.firstByteAt < 0) this.firstByteAt = at;
  }

  firstPaint(at: number): void {
    if (this.ttftVisible < 0) this.ttftVisible = at;
    // Only sampled-out streams past their first paint: their chunks need no more commit times.
    if (!this.messageStreams.some((stream) => stream.needsCommits)) this.commitObserver.pause();
  }

  streamEnded(stream: StreamRecorder): void {
    if (this.auto && !this.endRequested) {
      const outcome = stream.outcome ?? 'complete';
      if (outcome === 'error') this.fail(stream.errorForMessage ?? 'stream_error');
      else if (outcome === 'cancel') this.cancel();
      else this.end();
    }
  }

  end(): void {
    this.finishMessage('complete');
  }

  cancel(reason?: string): void {
    this.finishMessage('cancel', reason);
  }

  fail(error?: unknown): void {
    this.finishMessage('error', error);
  }

  private finishMessage(outcome: MessageOutcome, detail?: unknown): void {
    if (this.endRequested) return;
    // An app failing the message for its stream's network error while the page leaves (page-leaving.ts).
    if (waitForLeaving(outcome, this.outcome === 'error', () => this.finishMessage(outcome, detail))) return void (this.outcome ??= outcome);
    this.endRequested = true;
    this.outcome = outcome;
    safe('message end', () => {
      this.endedAt = now();
      this.messageDeps.onEnded(this);
      const span = this.span;
      recordOutcome(span, 'message', outcome, detail);
      for (const stream of this.messageStreams) if (!stream.ended) stream.end(outcome, detail);
      const settled = Promise.all(this.messageStreams.map((s) => s.settled));
      const runtime = this.messageDeps.runtime;
      runtime.settlers.add(this.endNow);
      const done = Promise.race([settled, new Promise((resolve) => setTimeout(resolve, MESSAGE_SETTLE_MS))]).then(() =>
        this.endSpan(),
      );
      track(runtime, done);
    });
  }

  private readonly endNow = (): void => this.endSpan();

  private endSpan(): void {
    this.messageDeps.runtime.settlers.delete(this.endNow);
    if (this.ended) return;
    this.ended = true;
    safe('message span end', () => {
      const attributes: Attributes = {};
      if (this.firstByteAt >= 0) attributes['streamtrace.ttfb_ms'] = round(this.firstByteAt - this.startedAt);
      if (this.ttft >= 0) attributes['streamtrace.ttft_ms'] = round(this.ttft - this.startedAt);
      if (this.ttftVisible >= 0) attributes['streamtrace.ttft_visible_ms'] = round(this.ttftVisible - this.startedAt);
      attributes['streamtrace.message.streams'] = this.messageStreams.length;
      this.span.setAttributes(attributes);
      this.commitObserver.disconnect();
      this.span.end(toSpanTime(this.endedAt));
    });
    this.messageStreams.length = 0;
  }

  regenerate(options?: StartMessageOptions): Message {
    return safe('regenerate', () => {
      const next = this.messageDeps.startMessage(
        { conversationId: this.conversation, ...options, attributes: { ...options?.attributes, 'streamtrace.message.regenerated_from': this.id } },
        [{ context: this.span.spanContext(), attributes: { 'streamtrace.link.type': 'regenerate' } }],
      );
      this.messageEvent('chat.regenerate', 'message.regenerate', { 'streamtrace.message.next_id': next.id });
      if (!this.endRequested) this.cancel('regenerate');
      return next as Message;
    }, this as Message);
  }

  feedback(feedback: FeedbackOptions): void {
    safe('feedback', () => {
      const attributes: Attributes = { 'gen_ai.evaluation.name': 'user_feedback', 'streamtrace.message.id': this.id };
      if (Number.isFinite(feedback.score)) attributes['gen_ai.evaluation.score.value'] = feedback.score as number;
      if (typeof feedback.label === 'string') attributes['gen_ai.evaluation.score.label'] = feedback.label.slice(0, 128);
      if (typeof feedback.comment === 'string' && this.messageDeps.runtime.config.captureContent) {
        attributes['gen_ai.evaluation.explanation'] = feedback.comment.slice(0, 2048);
      }
      this.messageEvent('chat.feedback', 'gen_ai.evaluation.result', attributes);
    });
  }

  /**
   * An event on the message span; after that span ended, on a short span `spanName` in this
   * message's trace instead.
   */
  private messageEvent(spanName: string, eventName: string, attributes: Attributes): void {
    if (!this.ended) {
      this.span.addEvent(eventName, attributes);
      return;
    }
    const span = this.messageDeps.runtime.tracer.startSpan(spanName, { attributes: { 'streamtrace.message.id': this.id } }, this.context);
    span.addEvent(eventName, attributes);
    span.end();
  }
}
