import type { OtlpResourceSpans } from '../bridge/otlp-types';
import { resourceSpans, spanIdOf, traceIdOf } from './otlp-fixtures';

export interface ChatTraceOptions {
  n?: number;
  /** Base epoch ms of the message start. */
  t0?: number;
  /** Added to every server timestamp (simulates a server clock behind/ahead of the browser). */
  serverClockOffsetMs?: number;
  sessionId?: string;
  messageId?: string;
  outcome?: 'complete' | 'cancel' | 'error';
}

/**
 * A hand-built chat trace whose time-to-first-token parts are known exactly:
 * client 20, network/gateway 20+20+10, retrieval 100, model 300, transport 20+30, render 30 = 550 ms.
 */
export function chatTrace(options: ChatTraceOptions = {}): { browser: OtlpResourceSpans; gateway: OtlpResourceSpans; traceId: string; streamSpanId: string } {
  const n = options.n ?? 1;
  const t = options.t0 ?? 1_700_000_000_000;
  const s = t + (options.serverClockOffsetMs ?? 0);
  const traceId = traceIdOf(n);
  const id = (k: number): string => spanIdOf(n * 16 + k);
  const browser = resourceSpans('chat-web', [
    {
      traceId, spanId: id(1), name: 'chat.message', startMs: t, endMs: t + 2000,
      attrs: {
        'session.id': options.sessionId ?? 'session-1', 'streamtrace.message.id': options.messageId ?? `msg-${n}`,
        'gen_ai.conversation.id': 'conv-1', 'streamtrace.message.outcome': options.outcome ?? 'complete', 'streamtrace.ttft_visible_ms': 550,
      },
    },
    {
      traceId, spanId: id(2), parentSpanId: id(1), name: 'chat.stream', kind: 3, startMs: t + 20, endMs: t + 1900,
      attrs: { 'streamtrace.stream.transport': 'fetch', 'streamtrace.stream.chunks': 3, 'streamtrace.chunk.first_arrival_ms': 500, 'streamtrace.chunk.first_paint_ms': 530 },
    },
  ]);
  const gateway = resourceSpans('chat-gateway', [
    { traceId, spanId: id(3), parentSpanId: id(2), name: 'POST /api/chat', kind: 2, startMs: s + 40, endMs: s + 1880 },
    { traceId, spanId: id(4), parentSpanId: id(3), name: 'retrieval docs', kind: 3, startMs: s + 60, endMs: s + 160, attrs: { 'gen_ai.operation.name': 'retrieval' } },
    { traceId, spanId: id(5), parentSpanId: id(3), name: 'chat sim-gpt-1', kind: 3, startMs: s + 170, endMs: s + 1800, attrs: { 'gen_ai.operation.name': 'chat', 'gen_ai.response.time_to_first_chunk': 0.3 } },
    {
      traceId, spanId: id(6), parentSpanId: id(3), name: 'stream sse', startMs: s + 165, endMs: s + 1870,
      events: [{ name: 'stream.start', timeMs: s + 166 }, { name: 'stream.delta', timeMs: s + 490, attrs: { 'streamtrace.delta.index': 0 } }],
    },
  ]);
  return { browser, gateway, traceId, streamSpanId: id(2) };
}
