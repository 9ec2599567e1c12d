import type { IncomingMessage } from 'node:http';
import { SpanKind, context, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { isRecord } from '../shared/json-body.js';
import { createSseParser } from '../shared/sse-parser.js';
import { endClientSpan, serverAttributes } from './client-span.js';
import type { GatewayConfig } from './config.js';
import { requestGrpc } from './upstream-grpc.js';
import { grpcServerAttributes } from './upstream-grpc-client.js';
import { postJson, readBody } from './upstream-http.js';
import { CancelledError, UpstreamError } from './upstream-error.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatResult {
  finishReason: string;
  inputTokens: number;
  outputTokens: number;
  text: string;
}

export interface StreamChatOptions {
  /** Simulated-model fault, sent as `x-streamtrace-fault` (real servers ignore the header). */
  fault?: string;
  signal: AbortSignal;
  /** Called in order for every content delta; the upstream is paused while it is pending. */
  onDelta(text: string): Promise<void> | void;
}

/** Bounds the answer text kept for `done`/content capture, not what is streamed. */
const MAX_ANSWER_CHARS = 64 * 1024;
const tracer = trace.getTracer('streamtrace-demo/chat-gateway');

/**
 * Streams a chat completion inside a `chat {model}` CLIENT span, from an OpenAI-compatible server
 * (HTTP SSE) or, with `MODEL_TRANSPORT=grpc`, from the model's gRPC `StreamChat`.
 */
export async function streamChat(config: GatewayConfig, messages: ChatMessage[], options: StreamChatOptions): Promise<ChatResult> {
  const grpcUpstream = config.modelTransport === 'grpc';
  const span = tracer.startSpan(`chat ${config.modelName}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': config.providerName,
      'gen_ai.request.model': config.modelName,
      'gen_ai.request.stream': true,
      'streamtrace.fault': options.fault ?? 'none',
      ...(grpcUpstream ? grpcServerAttributes(config.modelGrpcUrl) : serverAttributes(config.modelUrl)),
      ...(config.captureContent ? { 'gen_ai.input.messages': JSON.stringify(messages) } : {}),
    },
  });
  try {
    const result = await context.with(trace.setSpan(context.active(), span), () =>
      (grpcUpstream ? requestGrpc : request)(config, messages, options, span),
    );
    span.setAttributes({
      'gen_ai.usage.input_tokens': result.inputTokens,
      'gen_ai.usage.output_tokens': result.outputTokens,
      'gen_ai.response.finish_reasons': [result.finishReason],
      ...(config.captureContent
        ? { 'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', content: result.text }]) }
        : {}),
    });
    endClientSpan(span);
    return result;
  } catch (error) {
    const final = options.signal.aborted ? new CancelledError() : error;
    endClientSpan(span, final);
    throw final;
  }
}

async function request(
  config: GatewayConfig,
  messages: ChatMessage[],
  options: StreamChatOptions,
  span: Span,
): Promise<ChatResult> {
  const headers: Record<string, string> = {};
  if (config.modelApiKey) headers['authorization'] = `Bearer ${config.modelApiKey}`;
  if (options.fault) headers['x-streamtrace-fault'] = options.fault;
  const startedAt = performance.now();
  const res = await postJson(
    `${config.modelUrl}/v1/chat/completions`,
    { model: config.modelName, messages, stream: true, stream_options: { include_usage: true } },
    { headers, signal: options.signal, timeoutMs: config.firstTokenTimeoutMs },
  );
  if (res.statusCode !== 200) {
    const text = await readBody(res).catch(() => '');
    const code = errorCode(text);
    throw new UpstreamError(code ?? `http_${res.statusCode}`, `model answered ${res.statusCode}: ${errorMessage(text)}`, res.statusCode);
  }
  if (!String(res.headers['content-type']).includes('text/event-stream')) {
    res.destroy();
    throw new UpstreamError('invalid_response', `model answered ${String(res.headers['content-type'])}, not an event stream`);
  }
  return consumeStream(res, config, options, (responseModel, responseId) => {
    if (responseModel) span.setAttribute('gen_ai.response.model', responseModel);
    if (responseId) span.setAttribute('gen_ai.response.id', responseId);
    span.setAttribute('gen_ai.response.time_to_first_chunk', (performance.now() - startedAt) / 1000);
    span.addEvent('gen_ai.first_chunk');
  });
}

function consumeStream(
  res: IncomingMessage,
  config: GatewayConfig,
  options: StreamChatOptions,
  onFirstChunk: (model?: string, id?: string) => void,
): Promise<ChatResult> {
  return new Promise<ChatResult>((resolve, reject) => {
    const parser = createSseParser();
    let text = '';
    let deltas = 0;
    let finishReason: string | undefined;
    let usage: { prompt_tokens?: number; completion_tokens?: number } | undefined;
    let done = false;
    let settled = false;
    let pending: Promise<void> = Promise.resolve();
    /** A delta's `onDelta` promise has not settled yet: later deltas queue behind it. */
    let waiting = false;
    let timer = setTimeout(onTimeout, config.firstTokenTimeoutMs);

    function settle(error?: Error): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        res.destroy();
        reject(error);
        return;
      }
      pending.then(
        () =>
          resolve({
            finishReason: finishReason ?? 'stop',
            inputTokens: usage?.prompt_tokens ?? 0,
            outputTokens: usage?.completion_tokens ?? deltas,
            text,
          }),
        (error: unknown) => reject(error),
      );
    }
    function onTimeout(): void {
      const first = deltas === 0;
      const waited = first ? config.firstTokenTimeoutMs : config.tokenTimeoutMs;
      settle(new UpstreamError('timeout', `model stream stalled: no ${first ? 'first token' : 'token'} for ${waited} ms`));
    }
    function handle(data: string): void {
      if (data === '[DONE]') {
        done = true;
        return;
      }
      let chunk: unknown;
      try {
        chunk = JSON.parse(data);
      } catch {
        throw new UpstreamError('invalid_response', 'model sent a chunk that is not JSON');
      }
      if (!isRecord(chunk)) return;
      if (isRecord(chunk['error'])) {
        const code = chunk['error']['code'] ?? chunk['error']['type'];
        throw new UpstreamError(typeof code === 'string' ? code : 'model_error', String(chunk['error']['message'] ?? 'model error'));
      }
      if (isRecord(chunk['usage'])) usage = chunk['usage'] as typeof usage;
      const choice = Array.isArray(chunk['choices']) && isRecord(chunk['choices'][0]) ? chunk['choices'][0] : undefined;
      if (!choice) return;
      if (typeof choice['finish_reason'] === 'string') finishReason = choice['finish_reason'];
      const delta = isRecord(choice['delta']) ? choice['delta'] : {};
      const content = delta['content'];
      if (typeof content !== 'string' || content === '') return;
      if (deltas === 0) {
        onFirstChunk(typeof chunk['model'] === 'string' ? chunk['model'] : undefined, typeof chunk['id'] === 'string' ? chunk['id'] : undefined);
      }
      deltas++;
      if (text.length < MAX_ANSWER_CHARS) text += content;
      // Nothing in flight: relay now. A synchronous answer (the client took the delta at once)
      // needs no promise; a sync throw ends the stream through the 'data' handler's catch.
      const result = waiting ? pending.then(() => options.onDelta(content)) : options.onDelta(content);
      if (!(result instanceof Promise)) return;
      const step = result;
      pending = step;
      waiting = true;
      // Backpressure: stop reading the model while the client has not taken the last delta.
      res.pause();
      step.then(
        () => {
          if (pending !== step) return;
          waiting = false;
          if (!settled) res.resume();
        },
        (error: unknown) => settle(error instanceof Error ? error : new Error(String(error))),
      );
    }

    res.setEncoding('utf8');
    res.on('data', (piece: string) => {
      if (settled) return;
      clearTimeout(timer);
      try {
        for (const message of parser.push(piece)) handle(message.data);
      } catch (error) {
        settle(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      // Armed after the piece is parsed: a piece that carried the first token(s) must start the
      // inter-token wait, not another first-token wait (30 s by default).
      if (!settled) timer = setTimeout(onTimeout, deltas === 0 ? config.firstTokenTimeoutMs : config.tokenTimeoutMs);
    });
    res.on('end', () => {
      if (done || finishReason) settle();
      else settle(new UpstreamError('truncated_stream', 'model stream ended without a finish reason'));
    });
    res.on('close', () => {
      if (options.signal.aborted) settle(new CancelledError());
      else if (!res.complete) settle(new UpstreamError('stream_interrupted', 'model connection closed mid-stream'));
    });
    res.on('error', () => {
      // 'close' follows and decides between cancel and interruption.
    });
  });
}

function errorCode(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as unknown;
    if (isRecord(body) && isRecord(body['error'])) {
      const code = body['error']['code'] ?? body['error']['type'];
      if (typeof code === 'string' && code !== '') return code;
    }
  } catch {
    // not JSON: fall back to the status code
  }
  return undefined;
}

function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as unknown;
    if (isRecord(body) && isRecord(body['error']) && typeof body['error']['message'] === 'string') return body['error']['message'];
  } catch {
    // plain text body
  }
  return text.slice(0, 200);
}
