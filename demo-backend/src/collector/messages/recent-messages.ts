import { extractMessageFacts } from './message-facts.js';
import type { SpanStore } from '../span-store.js';
import type { MessageFacts } from './message-facts.js';

/** Message traces (a `chat.message` root) that received spans at or after `sinceMs` (collector clock), newest first. */
export function recentMessages(spans: SpanStore, sinceMs?: number): MessageFacts[] {
  const summaries = spans.list({ limit: Number.MAX_SAFE_INTEGER, ...(sinceMs !== undefined ? { since: sinceMs } : {}) });
  const messages: MessageFacts[] = [];
  for (const summary of summaries) {
    if (summary.rootName !== 'chat.message') continue;
    const data = spans.get(summary.traceId);
    const facts = data ? extractMessageFacts(summary.traceId, data) : undefined;
    if (facts) messages.push(facts);
  }
  return messages;
}
