import type { FetchTraceOptions } from './adapter';
import type { OtlpResourceSpans } from './otlp-types';
import { countSpans, parseTraceResponse } from './trace-shapes';

export interface TraceLookupOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Between polls while the trace settles. */
  intervalMs?: number;
  /** Backend spans are exported in batches: give up waiting for more after this long. */
  maxWaitMs?: number;
  /** Polls in a row with an unchanged span count before the trace counts as settled. */
  stablePolls?: number;
  now?: () => number;
}

export interface TraceLookup {
  fetchOnce(traceId: string, signal?: AbortSignal): Promise<OtlpResourceSpans[] | undefined>;
  /**
   * Polls until the span count is stable (or the max wait passes); resolves with the last answer,
   * or rejects with the last network error when the endpoint never answered at all.
   */
  fetchSettled(traceId: string, options?: FetchTraceOptions): Promise<OtlpResourceSpans[] | undefined>;
  setBaseUrl(baseUrl: string): void;
  readonly baseUrl: string;
}

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

// Paths tried in order: Jaeger v2 / the dev collector first, then Tempo and legacy Jaeger.
const PATHS = ['/api/v3/traces/', '/api/traces/', '/api/v2/traces/'];

export function createTraceLookup(options: TraceLookupOptions): TraceLookup {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 1000;
  const maxWaitMs = options.maxWaitMs ?? 30_000;
  const stablePolls = options.stablePolls ?? 2;
  let baseUrl = options.baseUrl.replace(/\/+$/, '');
  // Remember which path answered so later polls go straight to it.
  let workingPath: string | undefined;

  async function fetchOnce(traceId: string, signal?: AbortSignal): Promise<OtlpResourceSpans[] | undefined> {
    if (!/^[0-9a-f]{32}$/.test(traceId)) return undefined;
    const paths = workingPath ? [workingPath, ...PATHS.filter((path) => path !== workingPath)] : PATHS;
    for (const path of paths) {
      let response: Response;
      try {
        response = await doFetch(`${baseUrl}${path}${traceId}`, { signal, headers: { accept: 'application/json' } });
      } catch (error) {
        if (signal?.aborted) return undefined;
        throw error;
      }
      if (response.status === 404 && path === workingPath) return undefined;
      if (!response.ok) continue;
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        continue;
      }
      const parsed = parseTraceResponse(body);
      if (parsed) {
        workingPath = path;
        return parsed;
      }
    }
    return undefined;
  }

  async function fetchSettled(traceId: string, fetchOptions: FetchTraceOptions = {}): Promise<OtlpResourceSpans[] | undefined> {
    const { signal, onProgress } = fetchOptions;
    const deadline = now() + maxWaitMs;
    let last: OtlpResourceSpans[] | undefined;
    let lastCount = -1;
    let stable = 0;
    let reached = false;
    let lastError: unknown;
    while (!signal?.aborted) {
      let answer: OtlpResourceSpans[] | undefined;
      try {
        answer = await fetchOnce(traceId, signal);
        reached = true;
      } catch (error) {
        lastError = error;
        answer = undefined;
      }
      if (answer) {
        const count = countSpans(answer);
        if (count === lastCount && count > 0) stable += 1;
        else stable = 0;
        lastCount = count;
        last = answer;
        onProgress?.(answer);
        if (stable >= stablePolls - 1 && stable > 0) return last;
      }
      if (now() + intervalMs > deadline) {
        if (!last && !reached && lastError !== undefined) throw lastError;
        return last;
      }
      await sleep(intervalMs, signal);
    }
    return last;
  }

  return {
    fetchOnce,
    fetchSettled,
    setBaseUrl(next) {
      baseUrl = next.replace(/\/+$/, '');
      workingPath = undefined;
    },
    get baseUrl() {
      return baseUrl;
    },
  };
}
