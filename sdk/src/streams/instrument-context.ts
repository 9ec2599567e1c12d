import type { ResolvedConfig } from '../config.js';
import type { ChatMessage } from '../message/message.js';
import type { StreamRecorder, Transport } from './stream-recorder.js';

/** What a transport wrapper needs from the SDK; decided synchronously at the wrapped call. */
export interface InstrumentContext {
  readonly config: ResolvedConfig;
  /** False after shutdown or when tracing is off: wrappers pass straight through. */
  enabled(): boolean;
  /** The message a new stream joins: the current one, or (for `propagateTo` URLs) a new auto-ended one. */
  messageFor(propagate: boolean): ChatMessage | undefined;
  openStream(message: ChatMessage, transport: Transport, url: URL, method?: string): StreamRecorder;
}
