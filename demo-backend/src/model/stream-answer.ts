import type { ServerResponse } from 'node:http';
import { contentChunk, errorBody, finalChunk } from './chunks.js';
import type { CompletionIdentity, Usage } from './chunks.js';
import type { ChatSpan, ChatSpanResult } from './chat-span.js';
import { createSseWriter } from './sse-writer.js';
import { sleep } from './timing.js';
import type { ModelFault } from './request.js';

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

/**
 * Streams the planned tokens as SSE chunks. Stops early when `signal` aborts (client gone);
 * the returned result says how the stream ended, for the span.
 */
export async function streamAnswer(
  res: ServerResponse,
  plan: StreamPlan,
  chatSpan: ChatSpan,
  signal: AbortSignal,
): Promise<ChatSpanResult> {
  const writer = createSseWriter(res);
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
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
      await writer.write(JSON.stringify(errorBody(message, 'midstream_error')));
      res.end();
      return { outcome: 'error', outputTokens: sent, errorType: 'midstream_error', errorMessage: message };
    }
    if (!(await writer.write(JSON.stringify(contentChunk(plan.identity, plan.tokens[index]!, index === 0))))) {
      return cancelled();
    }
    if (index === 0) chatSpan.firstChunk();
    sent++;
  }
  const usage: Usage = {
    prompt_tokens: plan.inputTokens,
    completion_tokens: sent,
    total_tokens: plan.inputTokens + sent,
  };
  const finished =
    (await writer.write(JSON.stringify(finalChunk(plan.identity, plan.finishReason, plan.includeUsage ? usage : undefined)))) &&
    (await writer.write('[DONE]'));
  if (!finished) return cancelled();
  res.end();
  return { outcome: 'complete', outputTokens: sent, finishReason: plan.finishReason };
}
