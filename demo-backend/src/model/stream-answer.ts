import type { ServerResponse } from 'node:http';
import { playAnswer } from './answer-loop.js';
import type { StreamPlan } from './answer-loop.js';
import { contentChunk, errorBody, finalChunk } from './chunks.js';
import type { ChatSpan, ChatSpanResult } from './chat-span.js';
import { createSseWriter } from './sse-writer.js';

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
  const sendJson = (body: object): Promise<boolean> => writer.write(JSON.stringify(body));
  return playAnswer(
    {
      token: (token, index) => sendJson(contentChunk(plan.identity, token, index === 0)),
      midstreamError: async (message) => {
        await sendJson(errorBody(message, 'midstream_error'));
        res.end();
      },
      finish: async (usage) => {
        const finished =
          (await sendJson(finalChunk(plan.identity, plan.finishReason, plan.includeUsage ? usage : undefined))) &&
          (await writer.write('[DONE]'));
        if (finished) res.end();
        return finished;
      },
    },
    plan,
    chatSpan,
    signal,
  );
}
