import type { CompletionIdentity, Usage } from './chunks.js';
import type { ChatSpan, ChatSpanResult } from './chat-span.js';
import type { ModelFault } from './request.js';
import { sleep } from './timing.js';

export interface StreamPlan {
  identity: CompletionIdentity;
  tokens: string[];
  inputTokens: number;
  includeUsage: boolean;
  finishReason: string;
  delayFor(index: number): number;
  fault?: ModelFault;
  /** How long the `stall` fault goes silent. */
  stallMs: number;
}

/** Tokens sent before the `stall` and `midstream-error` faults strike. */
export const FAULT_AFTER_TOKENS = 5;

/** How one transport puts the answer on the wire; each write resolves false once the client is gone. */
export interface AnswerWriter {
  token(token: string, index: number): Promise<boolean>;
  /** Tells the client about the injected mid-stream failure (if the transport can) and ends the stream. */
  midstreamError(message: string): Promise<void>;
  finish(usage: Usage): Promise<boolean>;
}

/**
 * Plays the planned answer with its rhythm and faults through `writer`: tokens, then the finish.
 * Stops early when `signal` aborts (client cancelled); the result says how the stream ended.
 */
export async function playAnswer(
  writer: AnswerWriter,
  plan: StreamPlan,
  chatSpan: ChatSpan,
  signal: AbortSignal,
): Promise<ChatSpanResult> {
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
      await writer.midstreamError(message);
      return { outcome: 'error', outputTokens: sent, errorType: 'midstream_error', errorMessage: message };
    }
    if (!(await writer.token(plan.tokens[index]!, index))) return cancelled();
    if (index === 0) chatSpan.firstChunk();
    sent++;
  }
  const usage: Usage = { prompt_tokens: plan.inputTokens, completion_tokens: sent, total_tokens: plan.inputTokens + sent };
  if (!(await writer.finish(usage))) return cancelled();
  return { outcome: 'complete', outputTokens: sent, finishReason: plan.finishReason };
}
