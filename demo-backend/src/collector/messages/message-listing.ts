import { numberAttribute, scalarAttribute } from '../attributes.js';
import { STATUS_CODE_ERROR } from '../otlp-types.js';
import type { ResourceGroup } from '../grouping.js';
import type { KeyValue, Span } from '../otlp-types.js';

/** How a trace's row in a message list reads: the DevTools panel's list is drawn from it alone. */
export type ListingStatus = 'complete' | 'cancel' | 'error' | 'pending';

/** What the list row of a chat message shows (a trace with a `chat.message` or `chat.stream` span). */
export interface MessageListing {
  /** Start of the `chat.message` span (absent until it has arrived). */
  startTimeUnixNano?: string;
  conversationId?: string;
  /** `streamtrace.stream.transport` of the browser stream: `fetch`, `eventsource`, `websocket`. */
  transport?: string;
  ttftVisibleMs?: number;
  /** `streamtrace.stream.chunks` of the browser stream. */
  chunks?: number;
  /** Start of the answer text (≤ 160 characters), only when content capture put it on a span. */
  preview?: string;
}

export interface TraceListing {
  status: ListingStatus;
  /** Duration of the row's root: the `chat.message` span, else the earliest span without a parent. */
  rootDurationMs?: number;
  message?: MessageListing;
}

export const PREVIEW_CHARS = 160;

/** Like the panel's attribute reading: numbers and booleans count as text, numeric text as numbers. */
function textAttr(span: Span | undefined, key: string): string | undefined {
  return span ? scalarAttribute(span.attributes, key) : undefined;
}

function numberAttr(span: Span | undefined, key: string): number | undefined {
  if (!span) return undefined;
  const number = numberAttribute(span.attributes, key);
  if (number !== undefined) return number;
  const text = span.attributes.find((kv: KeyValue) => kv.key === key)?.value.stringValue;
  return text !== undefined && text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : undefined;
}

const startOf = (span: Span): bigint => BigInt(span.startTimeUnixNano);
const durationMs = (span: Span): number => Math.max(0, Number(BigInt(span.endTimeUnixNano) - startOf(span)) / 1e6);

/**
 * The answer text from `gen_ai.output.messages` (OTel GenAI `parts[].content`, or a plain
 * `content` string) of the first span that has one, cut to a row's worth.
 */
export function answerPreview(spans: readonly Span[]): string | undefined {
  for (const span of spans) {
    const raw = textAttr(span, 'gen_ai.output.messages');
    if (!raw) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      continue;
    }
    const texts: string[] = [];
    for (const item of Array.isArray(parsed) ? parsed : []) {
      const messageItem = item as { content?: unknown; parts?: { content?: unknown }[] } | null;
      if (typeof messageItem?.content === 'string') texts.push(messageItem.content);
      for (const part of Array.isArray(messageItem?.parts) ? messageItem.parts : []) if (typeof part?.content === 'string') texts.push(part.content);
    }
    const text = texts.join(' ').replace(/\s+/g, ' ').trim();
    if (text) return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text;
  }
  return undefined;
}

/**
 * A trace's list row, by the same rules the DevTools panel applies to a trace's spans: a chat
 * message's status from its `chat.message` span (`streamtrace.message.outcome`, else its status),
 * pending until that span arrives; another trace is complete (or error) once its root has arrived.
 */
export function listTrace(groups: readonly ResourceGroup<Span>[]): TraceListing {
  const spans: Span[] = [];
  for (const group of groups) for (const scope of group.scopes) for (const span of scope.items) spans.push(span);
  const earliest = (list: Span[]): Span | undefined => list.reduce<Span | undefined>((best, span) => (!best || startOf(span) < startOf(best) ? span : best), undefined);
  const message = earliest(spans.filter((span) => span.name === 'chat.message'));
  const streams = spans.filter((span) => span.name === 'chat.stream');
  const stream = streams.find((span) => message !== undefined && span.parentSpanId === message.spanId) ?? earliest(streams);
  const root = message ?? earliest(spans.filter((span) => span.parentSpanId === undefined));

  let status: ListingStatus = 'pending';
  if (message) {
    const outcome = textAttr(message, 'streamtrace.message.outcome');
    if (outcome === 'cancel') status = 'cancel';
    else if (outcome === 'error' || message.status.code === STATUS_CODE_ERROR) status = 'error';
    else status = 'complete';
  } else if (!stream && root) status = root.status.code === STATUS_CODE_ERROR ? 'error' : 'complete';

  const listing: TraceListing = { status };
  if (root) listing.rootDurationMs = durationMs(root);
  if (!message && !stream) return listing;
  const row: MessageListing = {};
  if (message) row.startTimeUnixNano = message.startTimeUnixNano;
  const conversationId = textAttr(message, 'gen_ai.conversation.id');
  if (conversationId !== undefined) row.conversationId = conversationId;
  const transport = textAttr(stream, 'streamtrace.stream.transport');
  if (transport !== undefined) row.transport = transport;
  const ttft = numberAttr(message, 'streamtrace.ttft_visible_ms');
  if (ttft !== undefined) row.ttftVisibleMs = ttft;
  const chunks = numberAttr(stream, 'streamtrace.stream.chunks');
  if (chunks !== undefined) row.chunks = chunks;
  const preview = answerPreview(stream ? [stream, ...spans] : spans);
  if (preview !== undefined) row.preview = preview;
  listing.message = row;
  return listing;
}
