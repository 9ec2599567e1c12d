import * as grpc from '@grpc/grpc-js';
import type { ClientReadableStream, ServiceError } from '@grpc/grpc-js';
import type { Span } from '@opentelemetry/api';
import { injectGrpcMetadata } from '@streamtrace/node/grpc';
import type { GrpcChatChunk, GrpcChatRequest } from '../model/grpc-proto.js';
import type { GatewayConfig } from './config.js';
import type { ChatMessage, ChatResult, StreamChatOptions } from './model-client.js';
import { chatModelClient } from './upstream-grpc-client.js';
import { upstreamErrorFromGrpc } from './upstream-grpc-error.js';
import { CancelledError, UpstreamError } from './upstream-error.js';

/** Bounds the answer text kept for `done`/content capture, not what is streamed. */
const MAX_ANSWER_CHARS = 64 * 1024;

type StreamChatMethod = (request: GrpcChatRequest, metadata: grpc.Metadata) => ClientReadableStream<GrpcChatChunk>;

/**
 * Streams a chat answer from the model's `ChatModel/StreamChat` (gRPC) with the same contract as
 * the HTTP SSE upstream: deltas in order through `onDelta` (the call is paused while one is
 * pending), first-token and inter-token timeouts (`timeout`), gRPC errors as UpstreamError with
 * `error.type`, and a cancelled call when `options.signal` aborts. Runs inside the `chat {model}`
 * span's context, so instrumentation-grpc's CLIENT span is its child.
 */
export function requestGrpc(config: GatewayConfig, messages: ChatMessage[], options: StreamChatOptions, span: Span): Promise<ChatResult> {
  return new Promise<ChatResult>((resolve, reject) => {
    if (options.signal.aborted) return reject(new CancelledError());
    const metadata = new grpc.Metadata();
    if (config.modelApiKey) metadata.set('authorization', `Bearer ${config.modelApiKey}`);
    // instrumentation-grpc overwrites these with its CLIENT span; without it the model still joins the trace.
    injectGrpcMetadata(metadata);
    const client = chatModelClient(config.modelGrpcUrl) as unknown as { StreamChat: StreamChatMethod };
    const startedAt = performance.now();
    const call = client.StreamChat({ model: config.modelName, messages, max_tokens: 0, fault: options.fault ?? '' }, metadata);

    let text = '';
    let deltas = 0;
    let final: GrpcChatChunk | undefined;
    let settled = false;
    let pending: Promise<void> = Promise.resolve();
    let timer = setTimeout(onTimeout, config.firstTokenTimeoutMs);
    const onAbort = (): void => settle(new CancelledError());
    options.signal.addEventListener('abort', onAbort, { once: true });

    function settle(error?: Error): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      if (error) {
        // The model sees `cancelled` and stops generating.
        call.cancel();
        reject(error);
        return;
      }
      pending.then(
        () =>
          resolve({
            finishReason: final?.finish_reason || 'stop',
            inputTokens: final?.usage?.prompt_tokens ?? 0,
            outputTokens: final?.usage?.completion_tokens ?? deltas,
            text,
          }),
        (failure: unknown) => reject(failure),
      );
    }
    function onTimeout(): void {
      const first = deltas === 0;
      const waited = first ? config.firstTokenTimeoutMs : config.tokenTimeoutMs;
      settle(new UpstreamError('timeout', `model stream stalled: no ${first ? 'first token' : 'token'} for ${waited} ms`));
    }

    call.on('data', (chunk: GrpcChatChunk) => {
      if (settled) return;
      clearTimeout(timer);
      timer = setTimeout(onTimeout, config.tokenTimeoutMs);
      if (chunk.finish_reason) final = chunk;
      if (!chunk.content) return;
      if (deltas === 0) {
        if (chunk.model) span.setAttribute('gen_ai.response.model', chunk.model);
        if (chunk.id) span.setAttribute('gen_ai.response.id', chunk.id);
        span.setAttribute('gen_ai.response.time_to_first_chunk', (performance.now() - startedAt) / 1000);
        span.addEvent('gen_ai.first_chunk');
      }
      deltas++;
      if (text.length < MAX_ANSWER_CHARS) text += chunk.content;
      const content = chunk.content;
      const step = pending.then(() => options.onDelta(content));
      pending = step;
      // Backpressure: stop reading the model while the client has not taken the last delta.
      call.pause();
      step.then(
        () => {
          if (pending === step && !settled) call.resume();
        },
        (error: unknown) => settle(error instanceof Error ? error : new Error(String(error))),
      );
    });
    call.on('error', (error: ServiceError) => {
      if (options.signal.aborted) settle(new CancelledError());
      else settle(upstreamErrorFromGrpc(error));
    });
    call.on('end', () => {
      if (final) settle();
      else settle(new UpstreamError('truncated_stream', 'model stream ended without a finish reason'));
    });
  });
}
