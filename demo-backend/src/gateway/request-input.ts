import { isRecord } from '../shared/json-body.js';
import { parseFault } from '../shared/faults.js';
import type { ChatInput } from './chat-flow.js';

/** Longest accepted user message; protects the prompt and the spans from huge inputs. */
export const MAX_MESSAGE_CHARS = 8000;

/** Reads `{ message, conversationId?, fault? }` from a JSON body, query parameters or a frame. */
export function parseChatInput(source: unknown): Omit<ChatInput, 'sessionId' | 'messageId'> | string {
  if (!isRecord(source)) return 'expected a JSON object';
  const message = source['message'];
  if (typeof message !== 'string' || message.trim() === '') return 'message must be a non-empty string';
  if (message.length > MAX_MESSAGE_CHARS) return `message longer than ${MAX_MESSAGE_CHARS} characters`;
  const input: Omit<ChatInput, 'sessionId' | 'messageId'> = { message: message.trim() };
  const conversationId = source['conversationId'];
  if (typeof conversationId === 'string' && conversationId !== '' && conversationId.length <= 128) {
    input.conversationId = conversationId;
  }
  if (source['fault'] !== undefined && source['fault'] !== '' && source['fault'] !== null) {
    const fault = parseFault(source['fault']);
    if (!fault) return `unknown fault ${JSON.stringify(source['fault'])}`;
    input.fault = fault;
  }
  return input;
}
