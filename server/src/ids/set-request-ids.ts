import type { Span } from '@opentelemetry/api';
import { sanitizeId } from '../context/ids.js';
import { MESSAGE_ID, SESSION_ID } from './attributes.js';

export interface RequestIds {
  sessionId?: string | undefined;
  messageId?: string | undefined;
}

/** Sets `session.id` and `streamtrace.message.id` (sanitized) on a span; missing ids are skipped. */
export function setRequestIds(span: Span, ids: RequestIds): void {
  const sessionId = sanitizeId(ids.sessionId);
  const messageId = sanitizeId(ids.messageId);
  if (sessionId) span.setAttribute(SESSION_ID, sessionId);
  if (messageId) span.setAttribute(MESSAGE_ID, messageId);
}
