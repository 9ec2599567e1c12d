export type SignalKind = 'traces' | 'logs' | 'metrics';

export interface ForwarderOptions {
  /** e.g. http://otel-collector:4318/v1/traces, or a base URL http://otel-collector:4318 */
  url: string;
  /** Bound on concurrent forwards; beyond it bodies are dropped (ingest never waits on forwarding). */
  maxInFlight?: number;
  timeoutMs?: number;
  log: (line: string) => void;
  /** Minimum time between two failure log lines. */
  logIntervalMs?: number;
}

export interface ForwarderStats {
  forwarded: number;
  failed: number;
  dropped: number;
  inFlight: number;
}

export interface Forwarder {
  forward(kind: SignalKind, body: Buffer, headers: { contentType: string; contentEncoding?: string }): void;
  stats(): ForwarderStats;
  /** Waits for in-flight forwards to settle. */
  drain(): Promise<void>;
}

/** Target URL for a signal: `/v1/traces` in the configured URL is swapped for `/v1/logs` and back. */
export function forwardTarget(url: string, kind: SignalKind): string {
  const parsed = new URL(url);
  const match = /\/v1\/(traces|logs|metrics)\/?$/.exec(parsed.pathname);
  if (match) parsed.pathname = parsed.pathname.slice(0, match.index) + `/v1/${kind}`;
  else parsed.pathname = `${parsed.pathname.replace(/\/+$/, '')}/v1/${kind}`;
  return parsed.toString();
}

export function createForwarder(options: ForwarderOptions): Forwarder {
  const targets = {
    traces: forwardTarget(options.url, 'traces'),
    logs: forwardTarget(options.url, 'logs'),
    metrics: forwardTarget(options.url, 'metrics'),
  };
  const maxInFlight = options.maxInFlight ?? 32;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const logIntervalMs = options.logIntervalMs ?? 5_000;
  const pending = new Set<Promise<void>>();
  const stats = { forwarded: 0, failed: 0, dropped: 0 };
  let lastLogAt = -Infinity;
  let suppressed = 0;

  const report = (message: string): void => {
    const at = Date.now();
    if (at - lastLogAt < logIntervalMs) {
      suppressed++;
      return;
    }
    const extra = suppressed > 0 ? ` (${suppressed} similar messages suppressed)` : '';
    suppressed = 0;
    lastLogAt = at;
    options.log(`forward: ${message}${extra}`);
  };

  const send = async (kind: SignalKind, body: Buffer, headers: { contentType: string; contentEncoding?: string }): Promise<void> => {
    const requestHeaders: Record<string, string> = { 'content-type': headers.contentType };
    if (headers.contentEncoding) requestHeaders['content-encoding'] = headers.contentEncoding;
    try {
      const response = await fetch(targets[kind], {
        method: 'POST',
        headers: requestHeaders,
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) stats.forwarded++;
      else {
        stats.failed++;
        report(`${targets[kind]} answered ${response.status}`);
      }
    } catch (error) {
      stats.failed++;
      report(`${targets[kind]} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  return {
    forward(kind, body, headers) {
      if (pending.size >= maxInFlight) {
        stats.dropped++;
        report(`${maxInFlight} forwards in flight, dropping a ${kind} batch`);
        return;
      }
      const promise = send(kind, body, headers).finally(() => pending.delete(promise));
      pending.add(promise);
    },
    stats: () => ({ ...stats, inFlight: pending.size }),
    async drain() {
      await Promise.allSettled([...pending]);
    },
  };
}
