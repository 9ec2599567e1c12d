import type { GrpcChatRequest } from './grpc-proto.js';
import { MODEL_FAULTS } from './request.js';
import type { ChatRequest, ModelFault } from './request.js';

/**
 * A `ChatRequest` message as the simulated model's request (always streamed, usage included),
 * or the reason it is invalid. The fault comes from the message, else `defaults.fault`.
 */
export function parseGrpcChatRequest(message: GrpcChatRequest, defaults: { model: string; fault?: string }): ChatRequest | string {
  const messages = message.messages ?? [];
  if (messages.length === 0) return 'messages must be a non-empty list';
  if (messages.some((m) => !m.role)) return 'each message needs a role';
  const fault = asFault(message.fault) ?? asFault(defaults.fault);
  const request: ChatRequest = {
    model: message.model || defaults.model,
    messages: messages.map((m) => ({ role: m.role, content: m.content ?? '' })),
    stream: true,
    includeUsage: true,
  };
  if (message.max_tokens > 0) request.maxTokens = message.max_tokens;
  if (fault) request.fault = fault;
  return request;
}

function asFault(value: unknown): ModelFault | undefined {
  return typeof value === 'string' && (MODEL_FAULTS as readonly string[]).includes(value) ? (value as ModelFault) : undefined;
}
