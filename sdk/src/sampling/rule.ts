/** A sampling rule served by the collector (`GET /api/sampling`) that overrides `sampleRate` until it expires. */
export interface SamplingRule {
  sampleRate: number;
  /** Epoch ms (browser clock) after which the rule no longer applies. */
  expiresAt: number;
  reason?: string;
}

/** Longest a rule is trusted for, whatever the server says. */
export const MAX_RULE_LIFETIME_MS = 24 * 3_600_000;

/**
 * Reads `{ sampleRate, expiresAt, ttlSeconds?, reason? }`. `ttlSeconds` (relative to `receivedAt`)
 * wins over `expiresAt` because it does not depend on the browser's clock agreeing with the
 * server's. `{ "sampleRate": null }` means "no rule" (→ `null`); anything malformed → `undefined`.
 */
export function parseSamplingRule(body: unknown, receivedAt: number): SamplingRule | null | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = body as Record<string, unknown>;
  if (value.sampleRate === null) return null;
  const rate = value.sampleRate as number;
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) return undefined;
  let expiresAt: number;
  if (Number.isFinite(value.ttlSeconds) && (value.ttlSeconds as number) > 0) {
    expiresAt = receivedAt + (value.ttlSeconds as number) * 1000;
  } else if (typeof value.expiresAt === 'string') {
    expiresAt = Date.parse(value.expiresAt);
    if (!Number.isFinite(expiresAt)) return undefined;
  } else {
    return undefined;
  }
  if (expiresAt <= receivedAt) return null;
  const rule: SamplingRule = { sampleRate: rate, expiresAt: Math.min(expiresAt, receivedAt + MAX_RULE_LIFETIME_MS) };
  if (typeof value.reason === 'string' && value.reason !== '') rule.reason = value.reason.slice(0, 128);
  return rule;
}
