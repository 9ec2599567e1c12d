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
  private currentRule: SamplingRule | undefined;
  private lastRequestAt = -Infinity;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: Promise<void> | undefined;
  private ruleStopped = false;
  private readonly clockNow: () => number;

  private readonly ruleOptions: RemoteRuleOptions;

  constructor(options: RemoteRuleOptions) {
    this.ruleOptions = options;
    this.clockNow = options.now ?? Date.now;
  }

  /** The rule in force now, if any (an expired rule is forgotten). */
  current(): SamplingRule | undefined {
    if (this.currentRule !== undefined && this.currentRule.expiresAt <= this.clockNow()) this.currentRule = undefined;
    return this.currentRule;
  }

  start(): void {
    void this.refresh();
  }

  /** Page became visible again: refresh if the last request is old enough. */
  visible(): void {
    if (this.clockNow() - this.lastRequestAt >= this.ruleOptions.refreshMs) void this.refresh();
  }

  stop(): void {
    this.ruleStopped = true;
    if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
  }

  /** Requests the rule now (one request at a time); resolves when it was applied or failed. */
  refresh(): Promise<void> {
    if (this.ruleStopped) return Promise.resolve();
    this.inFlight ??= this.requestRule().finally(() => {
      this.inFlight = undefined;
      this.scheduleRefresh();
    });
    return this.inFlight;
  }

  private scheduleRefresh(): void {
    if (this.ruleStopped) return;
    if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refresh();
    }, this.ruleOptions.refreshMs);
  }

  private async requestRule(): Promise<void> {
    this.lastRequestAt = this.clockNow();
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), this.ruleOptions.timeoutMs ?? 3000);
    try {
      const response = await this.ruleOptions.fetch(this.ruleOptions.url, {
        method: 'GET',
        credentials: 'omit',
        cache: 'no-store',
        headers: { accept: 'application/json' },
        signal: controller.signal,
      });
      if (!response.ok) {
        log.debug(`sampling rule: ${this.ruleOptions.url} answered ${response.status}`);
        return;
      }
      const parsed = parseSamplingRule(await response.json(), this.clockNow());
      if (parsed === undefined) {
        log.debug('sampling rule: malformed answer ignored');
        return;
      }
      if (this.ruleStopped) return;
      this.currentRule = parsed ?? undefined;
    } catch (error) {
      log.debug('sampling rule request failed', error);
    } finally {
      clearTimeout(timeout);
    }
  }
}
