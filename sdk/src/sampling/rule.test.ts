import { describe, expect, it, vi } from 'vitest';
import { MAX_RULE_LIFETIME_MS, parseSamplingRule } from './rule.js';
import { createRemoteSamplingRule } from './remote-rule.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

describe('sampling rule parsing', () => {
  it('reads rate, expiry and reason; ttlSeconds wins over a skewed expiresAt', () => {
    expect(parseSamplingRule({ sampleRate: 1, expiresAt: '2026-01-01T00:10:00Z', reason: 'incident-123' }, T0)).toEqual({
      sampleRate: 1, expiresAt: T0 + 600_000, reason: 'incident-123',
    });
    expect(parseSamplingRule({ sampleRate: 0.5, expiresAt: '2020-01-01T00:00:00Z', ttlSeconds: 60 }, T0)?.expiresAt).toBe(T0 + 60_000);
  });

  it('treats an expired rule and sampleRate null as "no rule", malformed answers as invalid', () => {
    expect(parseSamplingRule({ sampleRate: 1, expiresAt: '2025-12-31T23:59:59Z' }, T0)).toBeNull();
    expect(parseSamplingRule({ sampleRate: null }, T0)).toBeNull();
    for (const bad of [null, 'x', {}, { sampleRate: 2, ttlSeconds: 5 }, { sampleRate: -0.1, ttlSeconds: 5 }, { sampleRate: '1', ttlSeconds: 5 }, { sampleRate: 1 }, { sampleRate: 1, expiresAt: 'soon' }]) {
      expect(parseSamplingRule(bad, T0)).toBeUndefined();
    }
  });

  it('never trusts a rule for more than a day', () => {
    expect(parseSamplingRule({ sampleRate: 1, ttlSeconds: 10 * 86_400 }, T0)?.expiresAt).toBe(T0 + MAX_RULE_LIFETIME_MS);
  });
});

describe('remote sampling rule', () => {
  const answer = (body: unknown, status = 200): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  it('applies the answer until it expires, keeps it when a refresh fails, and drops it on expiry', async () => {
    let clock = T0;
    const replies: (() => Promise<Response>)[] = [
      async () => answer({ sampleRate: 1, ttlSeconds: 600, reason: 'incident-123' }),
      async () => {
        throw new TypeError('Failed to fetch');
      },
      async () => answer({ error: 'x' }, 500),
    ];
    const fetchRule = vi.fn(() => (replies.shift() as () => Promise<Response>)());
    const rule = createRemoteSamplingRule({ url: 'http://c/api/sampling', fetch: fetchRule as unknown as typeof fetch, refreshMs: 300_000, now: () => clock });
    expect(rule.current()).toBeUndefined();
    await rule.refresh();
    expect(rule.current()).toEqual({ sampleRate: 1, expiresAt: T0 + 600_000, reason: 'incident-123' });
    clock += 1000;
    rule.visible(); // too soon after the last request: no request
    expect(fetchRule).toHaveBeenCalledTimes(1);
    clock += 300_000;
    rule.visible();
    await rule.refresh();
    expect(fetchRule).toHaveBeenCalledTimes(2);
    expect(rule.current()?.sampleRate).toBe(1);
    await rule.refresh();
    expect(rule.current()?.sampleRate).toBe(1);
    clock = T0 + 600_000;
    expect(rule.current()).toBeUndefined();
    rule.stop();
  });

  it('a "no rule" answer clears an earlier rule', async () => {
    const replies = [answer({ sampleRate: 0.5, ttlSeconds: 60 }), answer({ sampleRate: null })];
    const rule = createRemoteSamplingRule({ url: 'http://c/api/sampling', fetch: (async () => replies.shift()) as unknown as typeof fetch, refreshMs: 60_000 });
    await rule.refresh();
    expect(rule.current()?.sampleRate).toBe(0.5);
    await rule.refresh();
    expect(rule.current()).toBeUndefined();
    rule.stop();
  });
});
