import type { ChunkPoint } from '../../bridge/otlp-types';
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
  return {
    traceId: trace.traceId,
    title: messageId ?? root?.name ?? trace.traceId.slice(0, 16),
    isChatMessage: Boolean(message || stream),
    ...(messageId ? { messageId } : {}),
    ...(sessionId ? { sessionId } : {}),
    ...(conversationId ? { conversationId } : {}),
    status,
    ...(numberAttr(message, 'streamtrace.ttft_visible_ms') !== undefined ? { ttftMs: numberAttr(message, 'streamtrace.ttft_visible_ms') } : {}),
    ...(root ? { durationMs: root.endMs - root.startMs } : {}),
    ...(chunks !== undefined ? { chunks } : {}),
    startMs: Number.isFinite(startMs) ? startMs : 0,
    spanCount: spans.length,
    errorCount,
    services,
  };
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
      !needle || [row.traceId, row.messageId, row.sessionId, row.conversationId, row.title].some((value) => value?.toLowerCase().includes(needle)),
    )
    .sort((a, b) => b.startMs - a.startMs || a.traceId.localeCompare(b.traceId));
}

export function distinctValues(rows: MessageRow[], key: 'sessionId' | 'conversationId'): string[] {
  return [...new Set(rows.map((row) => row[key]).filter((value): value is string => Boolean(value)))].sort();
}
