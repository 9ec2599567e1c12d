import type { Attributes, AttributeValue, Exception, HrTime, Link, SpanContext, SpanKind, SpanStatus, TimeInput } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor, TimedEvent } from '@opentelemetry/sdk-trace-base';

/**
 * The recording span of our tracer: the same behaviour and `ReadableSpan` shape as
 * `@opentelemetry/sdk-trace`'s span with its default limits (128 attributes, events, links and
 * attributes per event/link; the oldest event or link goes first), in a fraction of its size.
 * Unlike it, string values are cut at `MAX_VALUE_CHARS`: an app's attribute cannot grow a span, the
 * export queue or a request without bound. Times default to `performance.timeOrigin + performance.now()`, the clock
 * the SDK's explicit span times use too.
 */
const LIMIT = 128;
/**
 * Never shorter than the longest value the SDK itself makes: `gen_ai.output.messages`, the JSON of up
 * to 16,384 answer characters, each of which JSON may escape to six.
 */
const MAX_VALUE_CHARS = 131_072;

/** `value` with strings (also in arrays, which are copied) cut at `MAX_VALUE_CHARS`. */
const capped = (value: unknown): AttributeValue =>
  (typeof value === 'string' ? value.slice(0, MAX_VALUE_CHARS) : Array.isArray(value) ? value.map(capped) : value) as AttributeValue;

const isValue = (value: unknown): boolean => {
  if (!Array.isArray(value)) {
    const t = typeof value;
    return value == null || t === 'string' || t === 'number' || t === 'boolean';
  }
  let type: string | undefined;
  for (const v of value) {
    if (v == null) continue;
    const t = typeof v;
    if ((t !== 'string' && t !== 'number' && t !== 'boolean') || (type !== undefined && t !== type)) return false;
    type = t;
  }
  return true;
};

/** Valid attributes (capped; null/undefined values left out), at most `LIMIT`, and how many were dropped by the limit. */
export function sanitize(input: Attributes | undefined): [Attributes, number] {
  const out: Attributes = {};
  let count = 0;
  let dropped = 0;
  for (const key in input) {
    const value = input[key];
    if (!Object.hasOwn(input!, key) || key === '' || value == null || !isValue(value)) continue;
    if (count++ < LIMIT) out[key] = capped(value);
    else dropped++;
  }
  return [out, dropped];
}

export function millisToHrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  const nanos = Math.round((ms - seconds * 1000) * 1e6);
  return nanos >= 1e9 ? [seconds + 1, nanos - 1e9] : [seconds, nanos];
}

/** Epoch milliseconds, a `performance.now()` timestamp, a Date or an HrTime; now when absent. */
export function toHrTime(input?: TimeInput): HrTime {
  if (Array.isArray(input)) return input as HrTime;
  const now = performance.now();
  if (input instanceof Date) input = input.getTime();
  return millisToHrTime(typeof input !== 'number' ? performance.timeOrigin + now : input <= now ? performance.timeOrigin + input : input);
}

/** What every span of one tracer shares. */
export interface SpanOrigin {
  resource: ReadableSpan['resource'];
  instrumentationScope: ReadableSpan['instrumentationScope'];
  processor: Pick<SpanProcessor, 'onEnd'>;
}

export class RecordingSpan implements Span {
  readonly name: string;
  readonly kind: SpanKind;
  readonly parentSpanContext: SpanContext | undefined;
  readonly startTime: HrTime;
  readonly resource: ReadableSpan['resource'];
  readonly instrumentationScope: ReadableSpan['instrumentationScope'];
  attributes: Attributes = {};
  readonly links: Link[] = [];
  readonly events: TimedEvent[] = [];
  status: SpanStatus = { code: 0 };
  endTime: HrTime = [0, 0];
  duration: HrTime = [-1, -1];
  ended = false;
  droppedAttributesCount = 0;
  droppedEventsCount = 0;
  droppedLinksCount = 0;
  private readonly ownSpanContext: SpanContext;
  private readonly spanHooks: SpanOrigin['processor'];

  constructor(
    origin: SpanOrigin,
    name: string,
    kind: SpanKind,
    spanContext: SpanContext,
    parentSpanContext: SpanContext | undefined,
    startTime: TimeInput | undefined,
    links: Link[],
    attributes: Attributes,
  ) {
    this.name = name;
    this.kind = kind;
    this.ownSpanContext = spanContext;
    this.parentSpanContext = parentSpanContext;
    this.resource = origin.resource;
    this.instrumentationScope = origin.instrumentationScope;
    this.spanHooks = origin.processor;
    this.startTime = toHrTime(startTime);
    this.addLinks(links);
    this.setAttributes(attributes);
  }

  spanContext(): SpanContext {
    return this.ownSpanContext;
  }

  setAttribute(key: string, value?: AttributeValue): this {
    if (this.ended || key === '' || value == null || !isValue(value)) return this;
    if (key in this.attributes || Object.keys(this.attributes).length < LIMIT) this.attributes[key] = capped(value);
    else this.droppedAttributesCount++;
    return this;
  }

  setAttributes(attributes: Attributes): this {
    for (const key in attributes) if (Object.hasOwn(attributes, key)) this.setAttribute(key, attributes[key]);
    return this;
  }

  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    if (this.ended) return this;
    if (Array.isArray(attributesOrTime) || typeof attributesOrTime === 'number' || attributesOrTime instanceof Date) {
      time ??= attributesOrTime as TimeInput;
      attributesOrTime = undefined;
    }
    if (this.events.length >= LIMIT) {
      this.events.shift();
      this.droppedEventsCount++;
    }
    const [attributes, droppedAttributesCount] = sanitize(attributesOrTime as Attributes | undefined);
    this.events.push({ name, attributes, time: toHrTime(time), droppedAttributesCount });
    return this;
  }

  addLink(link: Link): this {
    if (this.ended) return this;
    if (this.links.length >= LIMIT) {
      this.links.shift();
      this.droppedLinksCount++;
    }
    const [attributes, dropped] = sanitize(link.attributes);
    const kept: Link = { context: link.context };
    if (Object.keys(attributes).length > 0) kept.attributes = attributes;
    if (dropped > 0) kept.droppedAttributesCount = dropped;
    this.links.push(kept);
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  /** UNSET is ignored and OK is final; only ERROR keeps a (string) message. */
  setStatus(status: SpanStatus): this {
    if (this.ended || status.code === 0 || this.status.code === 1) return this;
    this.status = status.code === 2 && typeof status.message === 'string' ? { code: 2, message: status.message } : { code: status.code };
    return this;
  }

  updateName(name: string): this {
    if (!this.ended) (this as { name: string }).name = name;
    return this;
  }

  isRecording(): boolean {
    return !this.ended;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === 'string') attributes['exception.message'] = exception;
    else if (exception) {
      const type = exception.code ? String(exception.code) : exception.name;
      if (type) attributes['exception.type'] = type;
      if (exception.message) attributes['exception.message'] = exception.message;
      if (exception.stack) attributes['exception.stacktrace'] = exception.stack;
    }
    if (attributes['exception.type'] || attributes['exception.message']) this.addEvent('exception', attributes, time);
  }

  end(endTime?: TimeInput): void {
    if (this.ended) return;
    this.endTime = toHrTime(endTime);
    let seconds = this.endTime[0] - this.startTime[0];
    let nanos = this.endTime[1] - this.startTime[1];
    if (nanos < 0) {
      seconds--;
      nanos += 1e9;
    }
    this.duration = [seconds, nanos];
    if (seconds < 0) {
      this.endTime = this.startTime.slice() as HrTime;
      this.duration = [0, 0];
    }
    this.ended = true;
    this.spanHooks.onEnd(this);
  }
}
