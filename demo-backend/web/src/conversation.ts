const KEY = 'streamtrace-demo.conversationId';

/** One conversation per tab: sessionStorage survives reloads of the tab but not new tabs. */
export function currentConversationId(): string {
  const existing = sessionStorage.getItem(KEY);
  if (existing) return existing;
  return newConversationId();
}

export function newConversationId(): string {
  const id = `conv-${crypto.randomUUID()}`;
  sessionStorage.setItem(KEY, id);
  return id;
}
