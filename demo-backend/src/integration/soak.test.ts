// Needs the built dist (`npm run build -w server && npx tsc -p demo-backend/tsconfig.build.json`):
// starts the real stack on free ports and pushes a seeded mix of 200 chat requests through it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from '../stack/start-stack.js';
import type { Stack } from '../stack/start-stack.js';
import { checkTrace } from './soak-check.test-helpers.js';
import type { TraceCheck } from './soak-check.test-helpers.js';
import { runRequest } from './soak-clients.test-helpers.js';
import type { ClientResult } from './soak-clients.test-helpers.js';
import { planRequests } from './soak-plan.test-helpers.js';
import type { PlannedRequest } from './soak-plan.test-helpers.js';
import { findServiceProcesses, rssMiB } from './soak-proc.test-helpers.js';
import type { ServiceProcess } from './soak-proc.test-helpers.js';
import { fetchTrace } from './trace-reader.test-helpers.js';

const SEED = 20_260_507;
const REQUESTS = 200;
const CONCURRENCY = 8;
/** Per-service ceiling: an idle service sits near 100 MiB; a leak of per-stream state would blow past this. */
const RSS_LIMIT_MIB = 400;
// Timeouts are generous next to scheduling noise on a loaded 2-core machine (a healthy request must
// never trip them) and the faults outlast them by far; only faulty requests pay for them.
const TOKEN_TIMEOUT_MS = 2000;
const STALL_MS = 5000;
const RETRIEVAL_TIMEOUT_MS = 2000;
const SLOW_RETRIEVAL_MS = 4000;

let stack: Stack;
let services: ServiceProcess[] = [];
const serviceLog: string[] = [];

beforeAll(async () => {
  stack = await startStack({
    env: {
      MODEL_TTFT_MS: '20',
      MODEL_TOKEN_DELAY_MS: '2',
      MODEL_JITTER_MS: '2',
      // Stall outlasts the token timeout, so `stall` becomes a gateway `timeout` error.
      GATEWAY_TOKEN_TIMEOUT_MS: String(TOKEN_TIMEOUT_MS),
      MODEL_STALL_MS: String(STALL_MS),
      // Slow retrieval outlasts the retrieval timeout, so `slow-retrieval` becomes a `timeout` error.
      GATEWAY_RETRIEVAL_TIMEOUT_MS: String(RETRIEVAL_TIMEOUT_MS),
      VECTOR_STORE_SLOW_MS: String(SLOW_RETRIEVAL_MS),
      LOG_LEVEL: 'warn',
    },
    log: (line) => {
      serviceLog.push(line);
      if (serviceLog.length > 200) serviceLog.shift();
    },
  });
  services = findServiceProcesses();
}, 40_000);
afterAll(async () => {
  await stack?.stop();
});

async function json<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as T;
}

interface CollectorHealth {
  spans: number;
  traces: number;
  maxSpans: number;
  evictedSpans: number;
}

/** Waits until the collector's span count stops moving: every service's batch exporter has flushed. */
async function waitForFlush(): Promise<CollectorHealth> {
  const deadline = Date.now() + 20_000;
  let last = -1;
  let stableFor = 0;
  let health = await json<CollectorHealth>(`${stack.urls.collector}/api/health`);
  while (Date.now() < deadline && stableFor < 3) {
    await new Promise((resolve) => setTimeout(resolve, 400));
    health = await json<CollectorHealth>(`${stack.urls.collector}/api/health`);
    stableFor = health.spans === last ? stableFor + 1 : 0;
    last = health.spans;
  }
  return health;
}

async function openStreams(): Promise<number> {
  const deadline = Date.now() + 5000;
  let open = -1;
  while (Date.now() < deadline) {
    open = (await json<{ openStreams: number }>(`${stack.urls.gateway}/api/health`)).openStreams;
    if (open === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return open;
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function pool<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}

function sampleRss(peaks: Record<string, number>): void {
  for (const { service, pid } of services) {
    const rss = rssMiB(pid);
    if (rss !== undefined) peaks[service] = Math.max(peaks[service] ?? 0, rss);
  }
}

function tally(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

function describePlan(plan: PlannedRequest): string {
  const d = plan.disconnect;
  const leave = d === undefined ? '' : d.at === 'headers' ? ' leave@headers' : ` ${d.how}@${d.afterDeltas}deltas`;
  return `#${plan.index} ${plan.transport}${plan.wsContext ? `(${plan.wsContext})` : ''} fault=${plan.fault ?? 'none'}${leave} trace=${plan.traceId}`;
}

describe('soak: the real stack under a mixed, faulty, disconnecting load', () => {
  it(`${REQUESTS} requests (seed ${SEED}) all end with one terminal gateway stream span and a complete, orphan-free trace`, async () => {
    const plans = planRequests(REQUESTS, SEED);
    // Cold processes (JIT, first upstream connections, first exports) answer slowly enough on a
    // loaded machine to trip the short retrieval timeout; warm them up outside the measured mix.
    const warmUp = planRequests(2 * CONCURRENCY, SEED + 1).map((p) => ({ ...p, transport: 'fetch' as const, disconnect: undefined, fault: undefined }));
    await pool(warmUp, CONCURRENCY, (plan) => runRequest(stack.urls.gateway, plan));
    const startRss: Record<string, number> = {};
    sampleRss(startRss);
    const peakRss: Record<string, number> = { ...startRss };

    const started = performance.now();
    const clients: ClientResult[] = await pool(plans, CONCURRENCY, async (plan, index) => {
      const result = await runRequest(stack.urls.gateway, plan);
      if (index % 20 === 0) sampleRss(peakRss);
      return result;
    });
    const loadMs = performance.now() - started;

    const stillOpen = await openStreams();
    // A slow search the gateway gave up on still runs to its end before its spans export.
    await new Promise((resolve) => setTimeout(resolve, SLOW_RETRIEVAL_MS - RETRIEVAL_TIMEOUT_MS));
    const health = await waitForFlush();
    sampleRss(peakRss);

    const check = async (plan: PlannedRequest, index: number): Promise<TraceCheck> =>
      checkTrace(plan, clients[index]!, await fetchTrace(stack.urls.collector, plan.traceId));
    let checks = await pool(plans, CONCURRENCY, check);
    const secondLook = checks.filter((c) => c.problems.length > 0).length;
    // Spans still in an exporter's batch would arrive within a second or two; a span that was
    // never ended never arrives, so a second look cannot hide a leak.
    if (checks.some((c) => c.problems.length > 0)) {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      checks = await pool(plans, CONCURRENCY, (plan, index) => (checks[index]!.problems.length > 0 ? check(plan, index) : Promise.resolve(checks[index]!)));
    }
    const totalMs = performance.now() - started;

    const failures = checks.flatMap((c, i) => (c.problems.length > 0 ? [`${describePlan(plans[i]!)}: ${c.problems.join('; ')}`] : []));
    const planned = tally(plans.map((p) => p.expected.outcome + (p.expected.errorType ? `:${p.expected.errorType}` : '')));
    const observed = tally(checks.map((c) => `${c.outcome ?? 'none'}${c.errorType ? `:${c.errorType}` : ''}`));
    const summary = {
      seed: SEED,
      requests: REQUESTS,
      concurrency: CONCURRENCY,
      survived: checks.filter((c) => c.problems.length === 0).length,
      byTransport: tally(plans.map((p) => p.transport)),
      byFault: tally(plans.map((p) => p.fault ?? 'none')),
      disconnects: tally(plans.flatMap((p) => (p.disconnect ? [p.disconnect.at === 'headers' ? 'headers' : p.disconnect.how] : []))),
      outcomes: observed,
      modelReached: checks.filter((c) => c.modelReached).length,
      expectedSpansChecked: checks.reduce((n, c) => n + c.expectedSpans, 0),
      spansChecked: checks.reduce((n, c) => n + c.spans, 0),
      tracesLookedAtTwice: secondLook,
      collector: health,
      gatewayOpenStreamsAfter: stillOpen,
      rssMiB: Object.fromEntries(Object.keys(peakRss).map((s) => [s, { start: startRss[s], peak: peakRss[s] }])),
      loadMs: Math.round(loadMs),
      totalMs: Math.round(totalMs),
    };
    console.log(`soak summary ${JSON.stringify(summary, null, 2)}`);
    if (failures.length > 0) console.log(`soak failures:\n${failures.join('\n')}\n--- service log tail ---\n${serviceLog.slice(-40).join('\n')}`);

    expect(failures).toEqual([]);
    expect(observed).toEqual(planned);
    expect(stillOpen).toBe(0);
    expect(health.evictedSpans).toBe(0);
    expect(health.spans).toBeLessThanOrEqual(health.maxSpans);
    // Every request's trace holds its spans, and nothing else landed in the collector unaccounted for.
    expect(health.traces).toBeGreaterThanOrEqual(REQUESTS);
    for (const [service, peak] of Object.entries(peakRss)) expect([service, peak < RSS_LIMIT_MIB]).toEqual([service, true]);
  }, 150_000);
});
