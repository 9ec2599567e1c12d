import { playAnswer } from './answer-loop.js';
import type { StreamPlan } from './answer-loop.js';
import type { ChatSpan, ChatSpanResult } from './chat-span.js';
import type { GrpcChatChunk } from './grpc-proto.js';

/** Writes one chunk, waiting out backpressure; resolves false once the call is gone. */
export type ChunkWriter = (chunk: GrpcChatChunk, delta: boolean) => Promise<boolean>;

/**
 * The simulated answer as `ChatChunk` messages, with the same rhythm and faults as the SSE
 * stream (`streamAnswer`): deltas, then a final chunk with finish reason and usage. Stops early
 * when `signal` aborts (client cancelled). Ending the call is the caller's job: the returned
 * result says how the stream ended (a mid-stream fault becomes the call's error status).
 */
export async function streamGrpcAnswer(
  write: ChunkWriter,
  plan: StreamPlan,
  chatSpan: ChatSpan,
  signal: AbortSignal,
): Promise<ChatSpanResult> {
  const { id, model } = plan.identity;
  return playAnswer(
    {
      token: (content) => write({ id, model, content, finish_reason: '' }, true),
      midstreamError: async () => {},
      finish: (usage) => write({ id, model, content: '', finish_reason: plan.finishReason, usage }, false),
    },
    plan,
    chatSpan,
    signal,
  );
}
