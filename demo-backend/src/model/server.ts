import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { BodyError, readJsonBody } from '../shared/json-body.js';
import { nameServerSpan } from '../shared/server-span.js';
import { startChatSpan } from './chat-span.js';
import { completion, errorBody } from './chunks.js';
import { composeAnswer } from './compose.js';
import { parseChatRequest } from './request.js';
import type { ChatRequest } from './request.js';
import { streamAnswer } from './stream-answer.js';
import { createDelays, sleep } from './timing.js';
import type { ModelTiming } from './timing.js';
import { countTokens, splitTokens } from './tokens.js';

export interface ModelServiceOptions {
  defaultModel: string;
  timing: ModelTiming;
  stallMs: number;
  defaultFault?: string;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Request log lines (they carry the trace and request ids); none when absent. */
  logger?: Logger;
}

export function createModelServer(options: ModelServiceOptions): Server {
  return createServer((req, res) => {
    handle(options, req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorBody(String(error), 'internal_error'));
      else res.destroy();
    });
  });
}

async function handle(options: ModelServiceOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (req.method === 'GET' && (path === '/health' || path === '/api/health')) {
    return sendJson(res, 200, { status: 'ok', model: options.defaultModel });
  }
  if (req.method === 'GET' && path === '/v1/models') {
    return sendJson(res, 200, { object: 'list', data: [{ id: options.defaultModel, object: 'model', owned_by: 'streamtrace' }] });
  }
  if (req.method !== 'POST' || path !== '/v1/chat/completions') {
    return sendJson(res, 404, errorBody('not found', 'not_found'));
  }
  nameServerSpan(req.method, '/v1/chat/completions');
  if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
    return sendJson(res, 401, errorBody('invalid api key', 'invalid_api_key'));
  }
  let body: unknown;
  try {
    body = await readJsonBody(req, 1024 * 1024);
  } catch (error) {
    if (error instanceof BodyError) return sendJson(res, error.status, errorBody(error.message, 'invalid_request'));
    throw error;
  }
  const request = parseChatRequest(body, req.headers, {
    model: options.defaultModel,
    ...(options.defaultFault ? { fault: options.defaultFault } : {}),
  });
  if (typeof request === 'string') return sendJson(res, 400, errorBody(request, 'invalid_request'));
  await answer(options, request, res);
}

async function answer(options: ModelServiceOptions, request: ChatRequest, res: ServerResponse): Promise<void> {
  const prompt = request.messages.map((m) => m.content).join('\n');
  const inputTokens = countTokens(prompt);
  const allTokens = splitTokens(composeAnswer(request.messages));
  const tokens = request.maxTokens ? allTokens.slice(0, request.maxTokens) : allTokens;
  const finishReason = tokens.length < allTokens.length ? 'length' : 'stop';
  const identity = { id: `chatcmpl-${randomUUID()}`, created: Math.floor(Date.now() / 1000), model: request.model };
  const chatSpan = startChatSpan(request, inputTokens, identity.id);

  const aborter = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) aborter.abort();
  });
  const delayFor = createDelays(options.timing, prompt);

  await context.with(chatSpan.context, async () => {
    options.logger?.info({ model: request.model, inputTokens, stream: request.stream, fault: request.fault ?? null }, 'chat completion started');
    try {
      if (request.fault === 'model-error') {
        await sleep(delayFor(0) / 2, aborter.signal);
        const message = 'model overloaded (injected fault)';
        sendJson(res, 500, errorBody(message, 'model_error'));
        chatSpan.end({ outcome: 'error', outputTokens: 0, errorType: 'model_error', errorMessage: message });
        options.logger?.warn({ 'error.type': 'model_error' }, 'chat completion failed (injected fault)');
        return;
      }
      if (request.stream) {
        const plan = {
          identity,
          tokens,
          inputTokens,
          includeUsage: request.includeUsage,
          finishReason,
          delayFor,
          stallMs: options.stallMs,
          ...(request.fault ? { fault: request.fault } : {}),
        };
        const result = await streamAnswer(res, plan, chatSpan, aborter.signal);
        chatSpan.end(result);
        const fields = { outcome: result.outcome, outputTokens: result.outputTokens, ...(result.errorType ? { 'error.type': result.errorType } : {}) };
        if (result.outcome === 'error') options.logger?.warn(fields, 'chat completion stream failed');
        else options.logger?.info(fields, 'chat completion stream ended');
        return;
      }
      await sleep(delayFor(0), aborter.signal);
      if (aborter.signal.aborted) return chatSpan.end({ outcome: 'cancel', outputTokens: 0 });
      chatSpan.firstChunk();
      const usage = { prompt_tokens: inputTokens, completion_tokens: tokens.length, total_tokens: inputTokens + tokens.length };
      sendJson(res, 200, completion(identity, tokens.join(''), finishReason, usage));
      chatSpan.end({ outcome: 'complete', outputTokens: tokens.length, finishReason });
    } catch (error) {
      chatSpan.end({ outcome: 'error', outputTokens: 0, errorType: (error as Error).name || '_OTHER', errorMessage: String(error) });
      throw error;
    }
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
