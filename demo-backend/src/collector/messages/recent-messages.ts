import { extractMessageFacts } from './message-facts.js';
import type { SpanStore } from '../span-store.js';
import type { TraceSummary } from '../trace-summary.js';
import type { MessageFacts } from './message-facts.js';

// The store hands out the same summary object until the trace receives spans, so facts keyed by
// it are recomputed only for traces that changed (the panel polls the dashboard).
const factsBySummary = new WeakMap<TraceSummary, MessageFacts | null>();

/** Message traces (a `chat.message` root) that received spans at or after `sinceMs` (collector clock), newest first. */
export function recentMessages(spans: SpanStore, sinceMs?: number): MessageFacts[] {
  const summaries = spans.list({ limit: Number.MAX_SAFE_INTEGER, ...(sinceMs !== undefined ? { since: sinceMs } : {}) });
  const messages: MessageFacts[] = [];
  for (const summary of summaries) {
    if (summary.rootName !== 'chat.message') continue;
    let facts = factsBySummary.get(summary);
    if (facts === undefined) {
      const data = spans.get(summary.traceId);
      facts = (data && extractMessageFacts(summary.traceId, data)) ?? null;
      factsBySummary.set(summary, facts);
    }
    if (facts) messages.push(facts);
  }
  return messages;
}
