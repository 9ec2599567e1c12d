import type { ChatMessage } from './model-client.js';
import type { RetrievedPassage } from './retrieval-client.js';

/** System prompt with numbered passages, `[n] Title: snippet`, one per line. */
export function buildPrompt(question: string, passages: RetrievedPassage[], history: ChatMessage[]): ChatMessage[] {
  const notes = passages.map((p, i) => `[${i + 1}] ${p.title.replace(/[:\n]/g, ' ')}: ${p.snippet.replace(/\s+/g, ' ')}`);
  const system =
    passages.length > 0
      ? `You are the Streamtrace demo assistant. Answer from these notes and cite them by number.\n${notes.join('\n')}`
      : 'You are the Streamtrace demo assistant. No notes were found for this question.';
  return [{ role: 'system', content: system }, ...history, { role: 'user', content: question }];
}
