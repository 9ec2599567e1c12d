import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http-error.js';
import { readBody } from './read-body.js';
import { sendJson } from './query.js';

/** Longest an operator override lasts; it always falls back to the default on its own. */
export const MAX_TTL_SECONDS = 24 * 3600;
export const DEFAULT_TTL_SECONDS = 3600;
/** How long browsers may keep the default rule before asking again (they refresh every few minutes anyway). */
export const DEFAULT_RULE_TTL_SECONDS = 600;

/** What `GET /api/sampling` answers; `sampleRate: null` = no rule, browsers use their configured rate. */
export interface SamplingRuleView {
  sampleRate: number | null;
  expiresAt?: string;
  /** Seconds left, so browsers with a skewed clock still expire the rule on time. */
  ttlSeconds?: number;
  reason?: string;
  source: 'override' | 'default' | 'none';
}

export interface SamplingRuleStore {
  get(): SamplingRuleView;
  /** Validates `{ sampleRate, ttlSeconds?, reason? }` and sets the override; throws `HttpError(400)`. */
  set(body: unknown): SamplingRuleView;
  clear(): SamplingRuleView;
}

export function createSamplingRule(options: { defaultRate?: number; now?: () => number } = {}): SamplingRuleStore {
  const now = options.now ?? Date.now;
  let override: { sampleRate: number; expiresAt: number; reason?: string } | undefined;

  const get = (): SamplingRuleView => {
    const at = now();
    if (override !== undefined && override.expiresAt <= at) override = undefined;
    if (override !== undefined) {
      return {
        sampleRate: override.sampleRate,
        expiresAt: new Date(override.expiresAt).toISOString(),
        ttlSeconds: Math.max(1, Math.floor((override.expiresAt - at) / 1000)),
        ...(override.reason !== undefined ? { reason: override.reason } : {}),
        source: 'override',
      };
    }
    if (options.defaultRate === undefined) return { sampleRate: null, source: 'none' };
    return {
      sampleRate: options.defaultRate,
      expiresAt: new Date(at + DEFAULT_RULE_TTL_SECONDS * 1000).toISOString(),
      ttlSeconds: DEFAULT_RULE_TTL_SECONDS,
      reason: 'default',
      source: 'default',
    };
  };

  return {
    get,
    set(body) {
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'expected a JSON object { sampleRate, ttlSeconds?, reason? }');
      const { sampleRate, ttlSeconds = DEFAULT_TTL_SECONDS, reason } = body as Record<string, unknown>;
      if (typeof sampleRate !== 'number' || !Number.isFinite(sampleRate) || sampleRate < 0 || sampleRate > 1) {
        throw new HttpError(400, 'sampleRate must be a number between 0 and 1');
      }
      if (typeof ttlSeconds !== 'number' || !Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
        throw new HttpError(400, `ttlSeconds must be an integer between 1 and ${MAX_TTL_SECONDS}`);
      }
      if (reason !== undefined && (typeof reason !== 'string' || reason.length > 128)) throw new HttpError(400, 'reason must be a string of at most 128 characters');
      override = { sampleRate, expiresAt: now() + ttlSeconds * 1000, ...(reason ? { reason } : {}) };
      return get();
    },
    clear() {
      override = undefined;
      return get();
    },
  };
}

/** Only a process on this machine may change the rule (the collector has no authentication). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
}

/**
 * `GET /api/sampling` → the rule; `PUT /api/sampling` `{ sampleRate, ttlSeconds?, reason? }` (JSON,
 * loopback peers only) sets an override until it expires; `DELETE /api/sampling` (loopback) clears it.
 */
export async function handleSampling(req: IncomingMessage, res: ServerResponse, rule: SamplingRuleStore): Promise<void> {
  const method = req.method ?? 'GET';
  res.setHeader('cache-control', 'no-store');
  if (method === 'GET' || method === 'HEAD') return sendJson(res, 200, rule.get());
  if (method !== 'PUT' && method !== 'DELETE') throw new HttpError(405, 'use GET, PUT or DELETE');
  if (!isLoopback(req.socket.remoteAddress)) throw new HttpError(403, 'the sampling rule can only be changed from this machine');
  if (method === 'DELETE') return sendJson(res, 200, rule.clear());
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new HttpError(415, 'send application/json');
  const { decoded } = await readBody(req, 4096);
  let body: unknown;
  try {
    body = JSON.parse(decoded.toString('utf8'));
  } catch {
    throw new HttpError(400, 'malformed JSON');
  }
  return sendJson(res, 200, rule.set(body));
}
