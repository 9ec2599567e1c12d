import type { ChatMessage } from './model-client.js';

export interface ConversationStore {
  history(id: string | undefined): ChatMessage[];
  append(id: string | undefined, question: string, answer: string): void;
}

/**
 * Remembers recent turns per conversation so follow-up prompts carry history. Bounded twice:
 * at most `maxConversations` (least recently used evicted) of at most `maxMessages` each.
 */
export function createConversationStore(maxConversations = 500, maxMessages = 12): ConversationStore {
  const store = new Map<string, ChatMessage[]>();
  return {
    history(id) {
      if (!id) return [];
      const turns = store.get(id);
      if (!turns) return [];
      store.delete(id);
      store.set(id, turns);
      return [...turns];
    },
    append(id, question, answer) {
      if (!id) return;
      const turns = store.get(id) ?? [];
      store.delete(id);
      turns.push({ role: 'user', content: question }, { role: 'assistant', content: answer });
      store.set(id, turns.slice(-maxMessages));
      while (store.size > maxConversations) store.delete(store.keys().next().value!);
    },
  };
}
