/** One SSE event / WebSocket frame of the gateway chat API (docs/architecture.md). */
export type GatewayEvent =
  | { type: 'start'; traceId: string; sessionId?: string; messageId?: string; model: string }
  | { type: 'delta'; index: number; text: string }
  | { type: 'done'; finishReason: string; usage: { inputTokens: number; outputTokens: number }; events: number }
  | { type: 'error'; error: { type: string; message: string } };

/**
 * Sends one event to the client: the bytes written, or `undefined` when the client is gone.
 * Returns synchronously when the transport took the event without waiting, and a promise when it
 * must drain first (backpressure): a delta costs no promise while the client keeps up.
 */
export type SendEvent = (event: GatewayEvent) => SendResult;
export type SendResult = number | undefined | Promise<number | undefined>;
