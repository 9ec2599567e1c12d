import { log } from '../diag.js';
import { parseSamplingRule, type SamplingRule } from './rule.js';

/** A rule request without an answer after this long is abandoned. */
const REQUEST_TIMEOUT_MS = 3000;

export interface RemoteRuleOptions {
  url: string;
  /** The native fetch, captured before instrumentation: rule requests are never traced. */
  fetch: typeof fetch;
  /** Least time between two requests (timer and visibility return). */
  refreshMs: number;
  now?: () => number;
}

/** The collector's sampling rule as the SDK follows it. */
export interface RemoteSamplingRule {
  /** The rule in force now, if any (an expired rule is forgotten). */
  current(): SamplingRule | undefined;
  start(): void;
  /** Page became visible again: refresh if the last request is old enough. */
  visible(): void;
  stop(): void;
  /** Requests the rule now (one request at a time); resolves when it was applied or failed. */
  refresh(): Promise<void>;
}

/**
 * Keeps the collector's sampling rule: requested at start (never awaited by `init()`), again every
 * `refreshMs`, and when the page becomes visible if the last request is at least `refreshMs` old
 * (background tabs throttle timers). A failed request keeps the previous rule until it expires;
 * failures go to `diag` only.
 */
export function createRemoteSamplingRule(options: RemoteRuleOptions): RemoteSamplingRule {
  const now = options.now ?? Date.now;
  let rule: SamplingRule | undefined;
  let lastRequestAt = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> | undefined;
  let stopped = false;

  const request = async (): Promise<void> => {
    lastRequestAt = now();
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    try {
      const response = await options.fetch(options.url, {
        method: 'GET',
        credentials: 'omit',
        cache: 'no-store',
        headers: { accept: 'application/json' },
        signal: controller.signal,
      });
      if (!response.ok) {
        log.debug(`sampling rule: ${options.url} answered ${response.status}`);
        return;
      }
      const parsed = parseSamplingRule(await response.json(), now());
      if (parsed === undefined) {
        log.debug('sampling rule: malformed answer ignored');
        return;
      }
      if (stopped) return;
      rule = parsed ?? undefined;
    } catch (error) {
      log.debug('sampling rule request failed', error);
    } finally {
      clearTimeout(timeout);
    }
  };

  const self: RemoteSamplingRule = {
    current() {
      if (rule !== undefined && rule.expiresAt <= now()) rule = undefined;
      return rule;
    },
    start() {
      void self.refresh();
    },
    visible() {
      if (now() - lastRequestAt >= options.refreshMs) void self.refresh();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
    },
    refresh() {
      if (stopped) return Promise.resolve();
      inFlight ??= request().finally(() => {
        inFlight = undefined;
        if (stopped) return;
        clearTimeout(timer);
        timer = setTimeout(() => {
          timer = undefined;
          void self.refresh();
        }, options.refreshMs);
      });
      return inFlight;
    },
  };
  return self;
}

/** What `init({ samplingRule })` takes: makes the rule with the page's native `fetch`. */
export type SamplingRuleSource = (nativeFetch: typeof fetch) => RemoteSamplingRule;

/**
 * `init({ samplingRule: remoteSamplingRule(url) })`: follow the rule `{ sampleRate, expiresAt |
 * ttlSeconds, reason }` served at `url` (e.g. the collector's `/api/sampling`). `refreshMs`: least
 * time between two requests (timer, and the page becoming visible), default 5 min.
 */
export const remoteSamplingRule =
  (url: string, options: { refreshMs?: number } = {}): SamplingRuleSource =>
  (fetch) =>
    createRemoteSamplingRule({ url, fetch, refreshMs: clampRefresh(options.refreshMs) });

/** Between 10 s and a day; anything but a finite number → 5 min. */
const clampRefresh = (ms: unknown): number => (Number.isFinite(ms) ? Math.min(24 * 3_600_000, Math.max(10_000, ms as number)) : 5 * 60_000);
