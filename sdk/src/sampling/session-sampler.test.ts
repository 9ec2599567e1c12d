import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { SessionSampler, isSessionSampled } from './session-sampler.js';

const ids = Array.from({ length: 2000 }, (_, i) => `session-${i}-${(i * 7919).toString(16)}`);

describe('session-consistent sampling', () => {
  it('gives one session the same decision every time', () => {
    for (const id of ids.slice(0, 100)) {
      const first = isSessionSampled(id, 0.3);
      for (let i = 0; i < 5; i++) expect(isSessionSampled(id, 0.3)).toBe(first);
    }
  });

  it('keeps roughly the configured share of sessions, and all or none at 1 and 0', () => {
    const kept = ids.filter((id) => isSessionSampled(id, 0.25)).length / ids.length;
    expect(kept).toBeGreaterThan(0.2);
    expect(kept).toBeLessThan(0.3);
    expect(ids.every((id) => isSessionSampled(id, 1))).toBe(true);
    expect(ids.some((id) => isSessionSampled(id, 0))).toBe(false);
  });

  it('a session sampled in at a low rate stays sampled at a higher rate', () => {
    for (const id of ids.filter((i) => isSessionSampled(i, 0.1))) expect(isSessionSampled(id, 0.5)).toBe(true);
  });

  it('roots follow the session, children follow their parent', () => {
    const out = ids.find((id) => !isSessionSampled(id, 0.5)) as string;
    const sampler = new SessionSampler(() => out, 0.5);
    expect(sampler.shouldSample(ROOT_CONTEXT).decision).toBe(SamplingDecision.NOT_RECORD);
    const sampledParent = trace.setSpanContext(ROOT_CONTEXT, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.SAMPLED });
    expect(sampler.shouldSample(sampledParent).decision).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    const inSampler = new SessionSampler(() => ids.find((id) => isSessionSampled(id, 0.5)) as string, 0.5);
    const unsampledParent = trace.setSpanContext(ROOT_CONTEXT, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.NONE });
    expect(inSampler.shouldSample(unsampledParent).decision).toBe(SamplingDecision.NOT_RECORD);
  });
});
