import type { UnsampledStats } from './unsampled-buffer.js';

/** What `st.sampling()` reports. */
export interface SamplingState {
  /** Rate deciding new messages now. */
  sampleRate: number;
  /** `rule` while an unexpired remote rule overrides the configured `sampleRate`. */
  source: 'config' | 'rule';
  /** The rule's reason and expiry (ISO) while one applies, else undefined. */
  reason?: string;
  expiresAt?: string;
  /** Whether a message started now in this session would be exported in full. */
  sessionSampled: boolean;
  /** Sampled-out messages kept (failed or slow), discarded, and evicted from the bounded buffer. */
  unsampled: UnsampledStats;
}
