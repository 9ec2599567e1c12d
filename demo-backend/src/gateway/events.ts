/** One SSE event / WebSocket frame of the gateway chat API (docs/architecture.md). */
export type GatewayEvent =
  | { type: 'start'; traceId: string; sessionId?: string; messageId?: string; model: string }
  | { type: 'delta'; index: number; text: string }
  | { type: 'done'; finishReason: string; usage: { inputTokens: number; outputTokens: number }; events: number }
  | { type: 'error'; error: { type: string; message: string } };

/**
 * Sends one event to the client and resolves with the bytes written, or `undefined` when the
 * client is gone. Implementations wait for the transport to drain (backpressure).
 */
export type SendEvent = (event: GatewayEvent) => Promise<number | undefined>;
