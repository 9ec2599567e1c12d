import { describe, expect, it } from 'vitest';
import { createConversationStore } from './conversations.js';

describe('createConversationStore', () => {
  it('keeps recent turns per conversation, bounded in turns and conversations', () => {
    const store = createConversationStore(2, 4);
    store.append('a', 'q1', 'a1');
    store.append('a', 'q2', 'a2');
    store.append('a', 'q3', 'a3');
    expect(store.history('a').map((m) => m.content)).toEqual(['q2', 'a2', 'q3', 'a3']);
    store.append('b', 'q', 'a');
    store.history('a');
    store.append('c', 'q', 'a');
    expect(store.history('b')).toEqual([]);
    expect(store.history('a')).toHaveLength(4);
    expect(store.history(undefined)).toEqual([]);
  });
});
