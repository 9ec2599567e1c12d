import { context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { StreamSpan } from '@streamtrace/node';
import type { Fault } from '../shared/faults.js';
import { errorType } from './client-span.js';
import { recordStreamOutcome, startModelCall } from './metrics.js';
import type { ModelCallMetrics } from './metrics.js';
import type { GatewayConfig } from './config.js';
import type { ConversationStore } from './conversations.js';
import type { GatewayEvent, SendEvent } from './events.js';
import { streamChat } from './model-client.js';
import { buildPrompt } from './prompt.js';
import { retrievePassages } from './retrieval-client.js';
import { CancelledError } from './upstream-error.js';

export interface ChatDeps {
  config: GatewayConfig;
  logger: Logger;
  conversations: ConversationStore;
}

export interface ChatInput {
  message: string;
  conversationId?: string;
  fault?: Fault;
  sessionId?: string;
  messageId?: string;
  /** Bounded metric label (metrics-tenant.ts); `default` when absent. */
  tenant?: string;
}

/**
 * One chat message end to end: `start`, retrieval, the model stream relayed as `delta`s, then
 * `done` or `error`. Ends `stream` exactly once — complete, error, or cancel when `signal`
 * aborts (client gone) — and never rejects.
 */
export function runChat(deps: ChatDeps, input: ChatInput, stream: StreamSpan, send: SendEvent, signal: AbortSignal): Promise<void> {
  return context.with(stream.context, () => run(deps, input, stream, send, signal));
}

async function run(deps: ChatDeps, input: ChatInput, stream: StreamSpan, send: SendEvent, signal: AbortSignal): Promise<void> {
  const { config, logger } = deps;
  let events = 0;
  const sent = (event: GatewayEvent, bytes: number | undefined): void => {
    if (bytes === undefined) throw new CancelledError();
    events++;
    if (event.type === 'delta') stream.delta(bytes);
    else stream.eventSent();
  };
  // Synchronous while the transport keeps up (see SendEvent): deltas then cost no promise.
  const emit = (event: GatewayEvent): void | Promise<void> => {
    const bytes = send(event);
    return bytes instanceof Promise ? bytes.then((n) => sent(event, n)) : sent(event, bytes);
  };
  const started = performance.now();
  const labels = { model: config.modelName, tenant: input.tenant ?? 'default' };
  let modelCall: ModelCallMetrics | undefined;
  logger.info({ fault: input.fault ?? null, conversationId: input.conversationId ?? null }, 'chat message received');
  try {
    await emit({
      type: 'start',
      traceId: stream.traceId,
      ...(input.sessionId ? { sessionId: input.sessionId } : {}),
      ...(input.messageId ? { messageId: input.messageId } : {}),
      model: config.modelName,
    });
    const passages = await retrievePassages(config, input.message, { slow: input.fault === 'slow-retrieval', signal });
    logger.info({ passages: passages.map((p) => p.id) }, 'retrieval done');
    const messages = buildPrompt(input.message, passages, deps.conversations.history(input.conversationId));
    let index = 0;
    const call = (modelCall = startModelCall({ model: config.modelName, provider: config.providerName }));
    const result = await streamChat(config, messages, {
      ...(input.fault && input.fault !== 'slow-retrieval' ? { fault: input.fault } : {}),
      signal,
      onDelta: (text) => {
        call.chunk();
        return emit({ type: 'delta', index: index++, text });
      },
    });
    call.complete(result);
    await emit({
      type: 'done',
      finishReason: result.finishReason,
      usage: { inputTokens: result.inputTokens, outputTokens: result.outputTokens },
      events: events + 1,
    });
    deps.conversations.append(input.conversationId, input.message, result.text);
    stream.complete({ 'gen_ai.usage.input_tokens': result.inputTokens, 'gen_ai.usage.output_tokens': result.outputTokens });
    recordStreamOutcome('complete', labels);
    logger.info({ durationMs: Math.round(performance.now() - started), outputTokens: result.outputTokens }, 'chat message complete');
  } catch (error) {
    if (signal.aborted || error instanceof CancelledError) {
      stream.cancel(typeof signal.reason === 'string' ? signal.reason : 'client disconnected');
      modelCall?.cancel();
      recordStreamOutcome('cancel', labels);
      logger.info({ durationMs: Math.round(performance.now() - started) }, 'chat message cancelled by client');
      return;
    }
    const type = errorType(error);
    modelCall?.fail(type);
    recordStreamOutcome('error', { ...labels, errorType: type });
    const message = error instanceof Error ? error.message : String(error);
    logger.warn({ 'error.type': type, err: message }, 'chat message failed');
    // The error event is best effort: the client may be gone already.
    const bytes = await Promise.resolve()
      .then(() => send({ type: 'error', error: { type, message } }))
      .catch(() => undefined);
    if (bytes !== undefined) stream.eventSent();
    stream.fail(error, type);
  } finally {
    // Defensive: whatever happened above, the stream span must not stay open.
    if (!stream.ended) {
      stream.cancel('ended without outcome');
      recordStreamOutcome('cancel', labels);
    }
  }
}
