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

export function isSessionSampled(sessionId: string, rate: number): boolean {
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  return sessionBucket(sessionId) < rate;
}

/** Roots follow the session's decision; children follow their parent, so a sampled-out session records nothing and propagates sampled=0. */
export class SessionSampler implements Sampler {
  constructor(private readonly sessionId: () => string, private readonly rate: number) {}

  shouldSample(context: Context): SamplingResult {
    const parent = trace.getSpanContext(context);
    if (parent !== undefined && trace.isSpanContextValid(parent)) {
      return { decision: (parent.traceFlags & 1) === 1 ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD };
    }
    return {
      decision: isSessionSampled(this.sessionId(), this.rate) ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD,
    };
  }

  toString(): string {
    return `SessionSampler{${this.rate}}`;
  }
}
