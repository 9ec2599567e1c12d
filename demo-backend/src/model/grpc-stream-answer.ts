import type { ChatSpan, ChatSpanResult } from './chat-span.js';
import type { GrpcChatChunk } from './grpc-proto.js';
import { FAULT_AFTER_TOKENS } from './stream-answer.js';
import type { StreamPlan } from './stream-answer.js';
import { sleep } from './timing.js';

/** Writes one chunk, waiting out backpressure; resolves false once the call is gone. */
export type ChunkWriter = (chunk: GrpcChatChunk, delta: boolean) => Promise<boolean>;

/**
 * The simulated answer as `ChatChunk` messages, with the same rhythm and faults as the SSE
 * stream (`streamAnswer`): deltas, then a final chunk with finish reason and usage. Stops early
 * when `signal` aborts (client cancelled). Ending the call is the caller's job: the returned
 * result says how the stream ended.
 */
export async function streamGrpcAnswer(
  write: ChunkWriter,
  plan: StreamPlan,
  chatSpan: ChatSpan,
  signal: AbortSignal,
): Promise<ChatSpanResult> {
  const { id, model } = plan.identity;
  let sent = 0;
  const cancelled = (): ChatSpanResult => ({ outcome: 'cancel', outputTokens: sent });
  for (let index = 0; index < plan.tokens.length; index++) {
    await sleep(plan.delayFor(index), signal);
    if (signal.aborted) return cancelled();
    if (index === FAULT_AFTER_TOKENS && plan.fault === 'stall') {
      await sleep(plan.stallMs, signal);
      if (signal.aborted) return cancelled();
    }
    if (index === FAULT_AFTER_TOKENS && plan.fault === 'midstream-error') {
      const message = 'model replica failed mid-stream (injected fault)';
      return { outcome: 'error', outputTokens: sent, errorType: 'midstream_error', errorMessage: message };
    }
    if (!(await write({ id, model, content: plan.tokens[index]!, finish_reason: '' }, true))) return cancelled();
    if (index === 0) chatSpan.firstChunk();
    sent++;
  }
  const usage = { prompt_tokens: plan.inputTokens, completion_tokens: sent, total_tokens: plan.inputTokens + sent };
  if (!(await write({ id, model, content: '', finish_reason: plan.finishReason, usage }, false))) return cancelled();
  return { outcome: 'complete', outputTokens: sent, finishReason: plan.finishReason };
}
