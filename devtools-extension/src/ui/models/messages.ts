import type { ChunkPoint } from '../../bridge/otlp-types';
import { newestFirst } from '../../bridge/trace-listing';
import type { TraceListItem } from '../../bridge/trace-listing';
import type { SpanRecord } from './span-record';
import { STATUS_ERROR, numberAttr, stringAttr } from './span-record';
import { findRoles } from './trace-roles';

export type MessageStatus = 'complete' | 'cancel' | 'error' | 'pending';

export interface MessageRow {
  traceId: string;
  /** The message id, or the root span's name for traces that are not chat messages. */
  title: string;
  isChatMessage: boolean;
  messageId?: string;
  sessionId?: string;
  conversationId?: string;
  status: MessageStatus;
  /** `fetch` / `eventsource` / `websocket` of the browser stream. */
  transport?: string;
  /** Start of the answer text, only when content capture put it on a span. */
  preview?: string;
  ttftMs?: number;
  durationMs?: number;
  chunks?: number;
  startMs: number;
  spanCount: number;
  errorCount: number;
  services: string[];
}

export interface TraceData {
  traceId: string;
  spans: Map<string, SpanRecord>;
  chunks: Map<string, ChunkPoint[]>;
}

/** One row per trace: chat messages by their `chat.message` root; other traces by their root. */
export function messageRow(trace: TraceData): MessageRow {
  const spans = [...trace.spans.values()];
  const { message, stream } = findRoles(spans);
  const errorCount = spans.filter((span) => span.statusCode === STATUS_ERROR).length;
  const services = [...new Set(spans.map((span) => span.serviceName))].sort();
  const startMs = message?.startMs ?? Math.min(...spans.map((span) => span.startMs), Infinity);
  const sessionId = stringAttr(message, 'session.id') ?? firstAttr(spans, 'session.id');
  const messageId = stringAttr(message, 'streamtrace.message.id') ?? firstAttr(spans, 'streamtrace.message.id');
  const conversationId = stringAttr(message, 'gen_ai.conversation.id');
  const seriesCount = stream ? trace.chunks.get(stream.spanId)?.length : [...trace.chunks.values()][0]?.length;
  const chunks = numberAttr(stream, 'streamtrace.stream.chunks') ?? seriesCount;
  let status: MessageStatus = 'pending';
  if (message) {
    const outcome = stringAttr(message, 'streamtrace.message.outcome');
    if (outcome === 'cancel') status = 'cancel';
    else if (outcome === 'error' || message.statusCode === STATUS_ERROR) status = 'error';
    else status = 'complete';
  } else if (!spans.some((span) => span.name === 'chat.stream' || span.name === 'chat.message')) {
    // A backend-only trace (no browser root): done when its root has arrived.
    const root = spans.find((span) => !span.parentSpanId);
    if (root) status = root.statusCode === STATUS_ERROR ? 'error' : 'complete';
  }
  const root = message ?? spans.find((span) => !span.parentSpanId);
  const preview = answerPreview(stream ? [stream, ...spans] : spans);
  return {
    traceId: trace.traceId,
    title: messageId ?? root?.name ?? trace.traceId.slice(0, 16),
    isChatMessage: Boolean(message || stream),
    ...(messageId ? { messageId } : {}),
    ...(sessionId ? { sessionId } : {}),
    ...(conversationId ? { conversationId } : {}),
    status,
    ...(stringAttr(stream, 'streamtrace.stream.transport') ? { transport: stringAttr(stream, 'streamtrace.stream.transport') } : {}),
    ...(preview ? { preview } : {}),
    ...(numberAttr(message, 'streamtrace.ttft_visible_ms') !== undefined ? { ttftMs: numberAttr(message, 'streamtrace.ttft_visible_ms') } : {}),
    ...(root ? { durationMs: root.endMs - root.startMs } : {}),
    ...(chunks !== undefined ? { chunks } : {}),
    startMs: Number.isFinite(startMs) ? startMs : 0,
    spanCount: spans.length,
    errorCount,
    services,
  };
}

/**
 * The row of a trace listed by its source without spans (the collector computes it by the rules
 * above). Built for every listed trace when the panel opens: plain assignments, no spreads.
 */
export function listedRow(item: TraceListItem, trace?: Pick<TraceData, 'chunks'>): MessageRow {
  const row: MessageRow = {
    traceId: item.traceId,
    title: item.messageId ?? (item.rootName || item.traceId.slice(0, 16)),
    isChatMessage: item.isChatMessage,
    status: item.status,
    startMs: item.startMs,
    spanCount: item.spanCount,
    errorCount: item.errorCount,
    services: item.services,
  };
  if (item.messageId) row.messageId = item.messageId;
  if (item.sessionId) row.sessionId = item.sessionId;
  if (item.conversationId) row.conversationId = item.conversationId;
  if (item.transport) row.transport = item.transport;
  if (item.preview) row.preview = item.preview;
  if (item.ttftMs !== undefined) row.ttftMs = item.ttftMs;
  if (item.durationMs !== undefined) row.durationMs = item.durationMs;
  const chunks = item.chunks ?? (trace?.chunks.size ? trace.chunks.values().next().value?.length : undefined);
  if (chunks !== undefined) row.chunks = chunks;
  return row;
}

const PREVIEW_CHARS = 160;

/**
 * The answer text from `gen_ai.output.messages` (OTel GenAI `parts[].content`, or a plain
 * `content` string), present only when the services captured content. Cut to a row's worth.
 */
export function answerPreview(spans: SpanRecord[]): string | undefined {
  for (const span of spans) {
    const raw = stringAttr(span, 'gen_ai.output.messages');
    if (!raw) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      continue;
    }
    const texts: string[] = [];
    for (const item of Array.isArray(parsed) ? parsed : []) {
      const messageItem = item as { content?: unknown; parts?: { type?: unknown; content?: unknown }[] };
      if (typeof messageItem?.content === 'string') texts.push(messageItem.content);
      for (const part of Array.isArray(messageItem?.parts) ? messageItem.parts : []) if (typeof part?.content === 'string') texts.push(part.content);
    }
    const text = texts.join(' ').replace(/\s+/g, ' ').trim();
    if (text) return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text;
  }
  return undefined;
}

function firstAttr(spans: SpanRecord[], key: string): string | undefined {
  for (const span of spans) {
    const value = stringAttr(span, key);
    if (value) return value;
  }
  return undefined;
}

export interface MessageFilter {
  /** Only traces with a browser chat message/stream (hides e.g. web-vitals or backend-only traces). */
  chatOnly?: boolean;
  search?: string;
  sessionId?: string;
  conversationId?: string;
}

/** Newest first; search matches trace, message and session ids (case-insensitive substring). */
export function filterMessages(rows: MessageRow[], filter: MessageFilter): MessageRow[] {
  const needle = filter.search?.trim().toLowerCase() ?? '';
  return rows
    .filter((row) => !filter.chatOnly || row.isChatMessage)
    .filter((row) => !filter.sessionId || row.sessionId === filter.sessionId)
    .filter((row) => !filter.conversationId || row.conversationId === filter.conversationId)
    .filter((row) =>
      !needle || [row.traceId, row.messageId, row.sessionId, row.conversationId, row.title, row.preview].some((value) => value?.toLowerCase().includes(needle)),
    )
    .sort(newestFirst);
}


export function distinctValues(rows: MessageRow[], key: 'sessionId' | 'conversationId'): string[] {
  const values = new Set<string>();
  for (const row of rows) {
    const value = row[key];
    if (value) values.add(value);
  }
  return [...values].sort();
}
