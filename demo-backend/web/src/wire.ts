/** Gateway stream events (docs/architecture.md, "Wire: gateway chat API"). */
export type ChatEvent =
  | { type: 'start'; traceId: string; sessionId?: string; messageId?: string; model: string }
  | { type: 'delta'; index: number; text: string }
  | {
      type: 'done';
      finishReason: string;
      usage: { inputTokens: number; outputTokens: number };
      events: number;
    }
  | { type: 'error'; error: { type: string; message: string } };

export function isTerminal(event: ChatEvent): boolean {
  return event.type === 'done' || event.type === 'error';
}

/** Parses one SSE `data:` payload or WebSocket frame; anything not matching the contract is dropped. */
export function parseChatEvent(data: string): ChatEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const event = value as Record<string, unknown>;
  switch (event['type']) {
    case 'start':
      return typeof event['traceId'] === 'string' ? (event as ChatEvent) : undefined;
    case 'delta':
      return typeof event['text'] === 'string' && typeof event['index'] === 'number' ? (event as ChatEvent) : undefined;
    case 'done':
      return typeof event['events'] === 'number' ? (event as ChatEvent) : undefined;
    case 'error': {
      const error = event['error'];
      return typeof error === 'object' && error !== null ? (event as ChatEvent) : undefined;
    }
    default:
      return undefined;
  }
}
