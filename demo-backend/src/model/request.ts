import type { IncomingHttpHeaders } from 'node:http';
import { isRecord } from '../shared/json-body.js';
import type { ChatMessage } from './compose.js';

export const MODEL_FAULTS = ['model-error', 'midstream-error', 'stall'] as const;
export type ModelFault = (typeof MODEL_FAULTS)[number];

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  includeUsage: boolean;
  maxTokens?: number;
  fault?: ModelFault;
}

/**
 * Validates an OpenAI-style chat completion body. The fault comes from the
 * `x-streamtrace-fault` header, else `metadata.fault`, else `defaultFault`.
 */
export function parseChatRequest(
  body: unknown,
  headers: IncomingHttpHeaders,
  defaults: { model: string; fault?: string },
): ChatRequest | string {
  if (!isRecord(body)) return 'body must be a JSON object';
  const rawMessages = body['messages'];
  if (!Array.isArray(rawMessages) || rawMessages.length === 0) return 'messages must be a non-empty array';
  const messages: ChatMessage[] = [];
  for (const m of rawMessages) {
    if (!isRecord(m) || typeof m['role'] !== 'string') return 'each message needs a role';
    messages.push({ role: m['role'], content: contentText(m['content']) });
  }
  const streamOptions = isRecord(body['stream_options']) ? body['stream_options'] : {};
  const metadata = isRecord(body['metadata']) ? body['metadata'] : {};
  const header = headers['x-streamtrace-fault'];
  const fault = asFault(Array.isArray(header) ? header[0] : header) ?? asFault(metadata['fault']) ?? asFault(defaults.fault);
  const request: ChatRequest = {
    model: typeof body['model'] === 'string' && body['model'] !== '' ? body['model'] : defaults.model,
    messages,
    stream: body['stream'] === true,
    includeUsage: streamOptions['include_usage'] === true,
  };
  const maxTokens = body['max_completion_tokens'] ?? body['max_tokens'];
  if (typeof maxTokens === 'number' && Number.isInteger(maxTokens) && maxTokens > 0) request.maxTokens = maxTokens;
  if (fault) request.fault = fault;
  return request;
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (isRecord(part) && typeof part['text'] === 'string' ? part['text'] : ''))
      .join('');
  }
  return '';
}

function asFault(value: unknown): ModelFault | undefined {
  return typeof value === 'string' && (MODEL_FAULTS as readonly string[]).includes(value) ? (value as ModelFault) : undefined;
}
