import { log } from '../diag.js';
import { parseSamplingRule, type SamplingRule } from './rule.js';

export interface RemoteRuleOptions {
  url: string;
  /** The native fetch, captured before instrumentation: rule requests are never traced. */
  fetch: typeof fetch;
  /** Least time between two requests (timer and visibility return). */
  refreshMs: number;
  timeoutMs?: number;
  now?: () => number;
}

/**
 * Keeps the collector's sampling rule: requested at start (never awaited by `init()`), again every
 * `refreshMs`, and when the page becomes visible if the last request is at least `refreshMs` old
 * (background tabs throttle timers). A failed request keeps the previous rule until it expires;
 * failures go to `diag` only.
 */
export class RemoteSamplingRule {
  private rule: SamplingRule | undefined;
  private lastRequestAt = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: Promise<void> | undefined;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly options: RemoteRuleOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The rule in force now, if any (an expired rule is forgotten). */
  current(): SamplingRule | undefined {
    if (this.rule !== undefined && this.rule.expiresAt <= this.now()) this.rule = undefined;
    return this.rule;
  }

  start(): void {
    void this.refresh();
  }

  /** Page became visible again: refresh if the last request is old enough. */
  visible(): void {
    if (this.now() - this.lastRequestAt >= this.options.refreshMs) void this.refresh();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Requests the rule now (one request at a time); resolves when it was applied or failed. */
  refresh(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.inFlight ??= this.request().finally(() => {
      this.inFlight = undefined;
      this.schedule();
    });
    return this.inFlight;
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, this.options.refreshMs);
  }

  private async request(): Promise<void> {
    this.lastRequestAt = this.now();
    const controller = typeof AbortController === 'function' ? new AbortController() : undefined;
    const timeout = setTimeout(() => controller?.abort(), this.options.timeoutMs ?? 3000);
    try {
      const response = await this.options.fetch(this.options.url, {
        method: 'GET',
        credentials: 'omit',
        cache: 'no-store',
        headers: { accept: 'application/json' },
        ...(controller ? { signal: controller.signal } : {}),
      });
      if (!response.ok) {
        log.debug(`sampling rule: ${this.options.url} answered ${response.status}`);
        return;
      }
      const parsed = parseSamplingRule(await response.json(), this.now());
      if (parsed === undefined) {
        log.debug('sampling rule: malformed answer ignored');
        return;
      }
      if (this.stopped) return;
      this.rule = parsed ?? undefined;
    } catch (error) {
      log.debug('sampling rule request failed', error);
    } finally {
      clearTimeout(timeout);
    }
  }
}
