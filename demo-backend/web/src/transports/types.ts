import type { ChatEvent } from '../wire.js';

export type Fault = 'slow-retrieval' | 'model-error' | 'midstream-error' | 'stall';

export interface StreamRequest {
  gatewayUrl: string;
  message: string;
  conversationId: string;
  fault?: Fault;
}

/**
 * A transport delivers events in order until a terminal one (`done`/`error`), then closes itself.
 * `onFailure` reports a broken connection that ended without a terminal event. After either,
 * or after `stop()`, no callback fires again.
 */
export interface StreamHandlers {
  onEvent(event: ChatEvent): void;
  onFailure(error: Error): void;
}

export interface StreamHandle {
  /** Closes the connection at once (user pressed Stop). */
  stop(): void;
}
