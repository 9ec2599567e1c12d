import type { init } from '@streamtrace/web';
import type { FaultChoice, Transport } from '../settings.js';

export type Streamtrace = ReturnType<typeof init>;
export type MessageHandle = ReturnType<Streamtrace['startMessage']>;

export type TurnStatus = 'streaming' | 'done' | 'cancelled' | 'error';

/** One question and its streamed answer, as the page shows it. */
export interface Turn {
  /** The SDK's message id (also `streamtrace.message.id` on every span of this answer). */
  id: string;
  traceId: string;
  question: string;
  answer: string;
  status: TurnStatus;
  error?: string;
  transport: Transport;
  fault: FaultChoice;
  /** Stream events (start, deltas, done/error) received on the page. */
  chunks: number;
  /** `events` from the gateway's `done`: what the server says it sent. */
  serverEvents?: number;
  /** Trace id announced by the gateway in `start` (equal to `traceId` when context propagated). */
  serverTraceId?: string;
  model?: string;
  outputTokens?: number;
  startedAt: number;
  firstTokenMs?: number;
  durationMs?: number;
  feedback?: 'up' | 'down';
  regenerated: boolean;
}
