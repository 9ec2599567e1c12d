import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { ServerWritableStream } from '@grpc/grpc-js';
import { context } from '@opentelemetry/api';
import { traceServerStream } from '@streamtrace/node/grpc';
import type { ServerStreamLike } from '@streamtrace/node/grpc';
import { startChatSpan } from './chat-span.js';
import { composeAnswer } from './compose.js';
import { ERROR_TYPE_TRAILER, chatModelService } from './grpc-proto.js';
import type { GrpcChatChunk, GrpcChatRequest } from './grpc-proto.js';
import { parseGrpcChatRequest } from './grpc-request.js';
import { streamGrpcAnswer } from './grpc-stream-answer.js';
import type { ChunkWriter } from './grpc-stream-answer.js';
import type { ModelServiceOptions } from './server.js';
import { createDelays, sleep } from './timing.js';
import { countTokens, splitTokens } from './tokens.js';

type ChatCall = ServerWritableStream<GrpcChatRequest, GrpcChatChunk>;

/** The model service's `ChatModel/StreamChat` over gRPC: the same simulated answers and faults as SSE. */
export function createModelGrpcServer(options: ModelServiceOptions): grpc.Server {
  const server = new grpc.Server();
  server.addService(chatModelService().service, {
    StreamChat: (call: ChatCall) => void streamChat(options, call),
  });
  return server;
}

/** Binds insecure `host:port` (port 0 picks a free one) and resolves with `host:port`. */
export function listenGrpc(server: grpc.Server, port: number, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(`${host}:${bound}`),
    );
  });
}

async function streamChat(options: ModelServiceOptions, call: ChatCall): Promise<void> {
  const request = parseGrpcChatRequest(call.request, {
    model: options.defaultModel,
    ...(options.defaultFault ? { fault: options.defaultFault } : {}),
  });
  const trailers = new grpc.Metadata();
  const traced = traceServerStream(withErrorTrailers(call, trailers), {
    attributes: typeof request === 'string' ? {} : { 'gen_ai.request.model': request.model, 'streamtrace.fault': request.fault ?? 'none' },
  });
  const fail = (code: grpc.status, type: string, message: string): void => {
    trailers.set(ERROR_TYPE_TRAILER, type);
    traced.fail(Object.assign(new Error(message), { code }), type);
  };
  if (options.apiKey && call.metadata.get('authorization')[0] !== `Bearer ${options.apiKey}`) {
    return fail(grpc.status.UNAUTHENTICATED, 'invalid_api_key', 'invalid api key');
  }
  if (typeof request === 'string') return fail(grpc.status.INVALID_ARGUMENT, 'invalid_request', request);

  await context.with(traced.context, async () => {
    const prompt = request.messages.map((m) => m.content).join('\n');
    const inputTokens = countTokens(prompt);
    const allTokens = splitTokens(composeAnswer(request.messages));
    const tokens = request.maxTokens ? allTokens.slice(0, request.maxTokens) : allTokens;
    const identity = { id: `chatcmpl-${randomUUID()}`, created: Math.floor(Date.now() / 1000), model: request.model };
    const chatSpan = startChatSpan(request, inputTokens, identity.id);
    const aborter = new AbortController();
    const onCancelled = (): void => aborter.abort();
    call.once('cancelled', onCancelled);
    const delayFor = createDelays(options.timing, prompt);
    try {
      if (request.fault === 'model-error') {
        await sleep(delayFor(0) / 2, aborter.signal);
        if (aborter.signal.aborted) return chatSpan.end({ outcome: 'cancel', outputTokens: 0 });
        const message = 'model overloaded (injected fault)';
        chatSpan.end({ outcome: 'error', outputTokens: 0, errorType: 'model_error', errorMessage: message });
        return fail(grpc.status.UNAVAILABLE, 'model_error', message);
      }
      const plan = {
        identity,
        tokens,
        inputTokens,
        includeUsage: true,
        finishReason: tokens.length < allTokens.length ? 'length' : 'stop',
        delayFor,
        stallMs: options.stallMs,
        ...(request.fault ? { fault: request.fault } : {}),
      };
      const result = await context.with(chatSpan.context, () => streamGrpcAnswer(chunkWriter(call, traced), plan, chatSpan, aborter.signal));
      chatSpan.end(result);
      if (result.outcome === 'complete') {
        traced.complete({ 'gen_ai.usage.input_tokens': inputTokens, 'gen_ai.usage.output_tokens': result.outputTokens });
      } else if (result.outcome === 'error') {
        fail(grpc.status.INTERNAL, result.errorType ?? '_OTHER', result.errorMessage ?? 'model error');
      } else {
        traced.cancel('client cancelled');
        // A cancelled call never emits 'finish', and instrumentation-grpc ends its server span
        // only on 'finish' or 'error': end the call with CANCELLED (nothing is sent any more).
        call.emit('error', { code: grpc.status.CANCELLED, details: 'client cancelled', message: 'client cancelled' });
      }
    } catch (error) {
      const type = (error as Error).name || '_OTHER';
      chatSpan.end({ outcome: 'error', outputTokens: 0, errorType: type, errorMessage: String(error) });
      fail(grpc.status.INTERNAL, type, String(error));
    } finally {
      call.off('cancelled', onCancelled);
    }
  });
}

/** Writes through the traced stream (deltas counted) and waits for `drain` when the buffer is full. */
function chunkWriter(call: ChatCall, traced: { ended: boolean; write(message: unknown, options?: { delta?: boolean }): boolean }): ChunkWriter {
  return async (chunk, delta) => {
    if (traced.ended || call.cancelled) return false;
    if (traced.write(chunk, { delta })) return true;
    if (traced.ended || call.cancelled) return false;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        call.off('drain', done);
        call.off('cancelled', done);
        resolve();
      };
      call.on('drain', done);
      call.on('cancelled', done);
    });
    return !call.cancelled;
  };
}

/**
 * The call as `traceServerStream` sees it, except that a failure's status also carries
 * `trailers` (where `fail` put the error type), since the adapter sends only code and details.
 */
function withErrorTrailers(call: ChatCall, trailers: grpc.Metadata): ServerStreamLike {
  return {
    metadata: call.metadata,
    get cancelled() {
      return call.cancelled;
    },
    getPath: () => call.getPath(),
    write: (message) => call.write(message as GrpcChatChunk),
    end: () => call.end(),
    emit: (event, status) => call.emit(event, { ...status, message: status.details, metadata: trailers }),
    once: (event, listener) => call.once(event, listener),
    off: (event, listener) => call.off(event, listener),
  };
}
