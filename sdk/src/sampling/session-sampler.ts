import { trace, type Context } from '@opentelemetry/api';
import { SamplingDecision, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace-base';

/** FNV-1a of the session id mapped to [0, 1): the same session always gets the same decision. */
export function sessionBucket(sessionId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < sessionId.length; i++) {
    hash ^= sessionId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) / 0x1_0000_0000;
}

/** The bucket is in [0, 1): every session is in at rate 1, none at rate 0. */
export function isSessionSampled(sessionId: string, rate: number): boolean {
  return sessionBucket(sessionId) < rate;
}

/**
 * Roots follow the session's decision at the rate in force when the root starts (a remote rule may
 * change it; the bucket of a session never changes, so raising the rate only brings sessions in);
 * children follow their parent. Sampled-out spans propagate sampled=0. With `recordUnsampled`,
 * sampled-out local spans are still recorded (RECORD, not exported by the batch processor) so the
 * unsampled buffer can keep erroring or slow messages.
 */
export class SessionSampler implements Sampler {
  private declare readonly rateNow: () => number;
  private declare readonly sessionIdOf: () => string;
  private declare readonly recordsUnsampled: boolean;

  constructor(sessionIdOf: () => string, rate: number | (() => number), recordsUnsampled = false) {
    this.sessionIdOf = sessionIdOf;
    this.recordsUnsampled = recordsUnsampled;
    this.rateNow = typeof rate === 'number' ? () => rate : rate;
  }

  shouldSample(context: Context): SamplingResult {
    const parent = trace.getSpan(context)?.spanContext();
    if (parent !== undefined && trace.isSpanContextValid(parent)) {
      if ((parent.traceFlags & 1) === 1) return { decision: SamplingDecision.RECORD_AND_SAMPLED };
      // A local unsampled parent was recorded (roots are, with recordUnsampled), even if it has ended since (`chat.feedback`).
      const record = this.recordsUnsampled && parent.isRemote !== true;
      return { decision: record ? SamplingDecision.RECORD : SamplingDecision.NOT_RECORD };
    }
    if (isSessionSampled(this.sessionIdOf(), this.rateNow())) return { decision: SamplingDecision.RECORD_AND_SAMPLED };
    return { decision: this.recordsUnsampled ? SamplingDecision.RECORD : SamplingDecision.NOT_RECORD };
  }
}
