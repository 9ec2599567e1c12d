import { afterEach, describe, expect, it } from 'vitest';
import { postJson } from '../fixtures.test-helpers.js';
import { normalizeTraces } from '../normalize-traces.js';
import { createSpanStore } from '../span-store.js';
import { startCollector } from '../start.js';
import { messageTrace } from './message-trace.test-helpers.js';
import { nearestRank } from './percentile.js';
import { recentMessages } from './recent-messages.js';
import type { RunningCollector } from '../start.js';
import type { Dashboard } from './dashboard.js';

let collector: RunningCollector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

// Four messages whose layer times are chosen by hand (ms):
//            ttft  retrieval  model  ttfb  gateway  arrival/paint  render  transport (ttft - ttfb - render)
//   fast      500     50       250    310     10       400/405        5       185
//   normal   1000    100       400    550     50       600/620       20       430
//   slow     2000   1200       300   1550     50      1600/1610      10       440
//   failed     -      50         -      -       -           -          -         -   (model service error)
const fast = messageTrace({ messageId: 'fast', ttftVisibleMs: 500, retrievalMs: 50, modelTtfcMs: 250, ttfbMs: 310, firstArrivalMs: 400, firstPaintMs: 405 });
const normal = messageTrace({ messageId: 'normal', ttftVisibleMs: 1000, retrievalMs: 100, modelTtfcMs: 400, ttfbMs: 550, firstArrivalMs: 600, firstPaintMs: 620 });
const slow = messageTrace({ messageId: 'slow', ttftVisibleMs: 2000, retrievalMs: 1200, modelTtfcMs: 300, ttfbMs: 1550, firstArrivalMs: 1600, firstPaintMs: 1610, durationMs: 5000 });
const failed = messageTrace({ messageId: 'failed', modelError: true, retrievalMs: 50, durationMs: 800 });

describe('GET /api/dashboard', () => {
  it('computes TTFT and per-layer percentiles, errors by layer and the slowest messages', async () => {
    collector = await startCollector({ port: 0, panelDir: '/nonexistent' });
    for (const trace of [fast, normal, slow, failed]) expect((await postJson(`${collector.url}/v1/traces`, trace.body)).status).toBe(200);
    // A trace that is not a message does not count.
    await postJson(`${collector.url}/v1/traces`, { resourceSpans: [] });

    const res = await fetch(`${collector.url}/api/dashboard?window=60&slowest=3`);
    expect(res.status).toBe(200);
    const dashboard = (await res.json()) as Dashboard;
    expect(dashboard.windowSeconds).toBe(60);
    expect(dashboard.messages).toBe(4);
    expect(dashboard.ttftVisibleMs).toEqual({ count: 3, p50: 1000, p95: 2000 });
    expect(dashboard.layers).toEqual({
      retrieval: { count: 4, p50: 50, p95: 1200 },
      model: { count: 3, p50: 300, p95: 400 },
      gateway: { count: 3, p50: 50, p95: 50 },
      transport: { count: 3, p50: 430, p95: 440 },
      render: { count: 3, p50: 10, p95: 20 },
    });
    expect(dashboard.errors).toEqual({
      failedMessages: 1,
      rate: 0.25,
      byLayer: [{ layer: 'model-service/chat sim-gpt-1', service: 'model-service', spanName: 'chat sim-gpt-1', count: 1, rate: 0.25 }],
    });
    expect(dashboard.outcomes).toEqual({ complete: 3, error: 1 });
    expect(dashboard.slowest).toEqual([
      { traceId: slow.traceId, messageId: 'slow', ttftVisibleMs: 2000, durationMs: 5000, outcome: 'complete', responsible: { layer: 'retrieval', reason: 'largest', ms: 1200 } },
      { traceId: normal.traceId, messageId: 'normal', ttftVisibleMs: 1000, durationMs: 2000, outcome: 'complete', responsible: { layer: 'transport', reason: 'largest', ms: 430 } },
      { traceId: fast.traceId, messageId: 'fast', ttftVisibleMs: 500, durationMs: 2000, outcome: 'complete', responsible: { layer: 'model', reason: 'largest', ms: 250 } },
    ]);
    // The failure is not among the three slowest, but it is listed on its own.
    expect(dashboard.recentFailures).toEqual([
      { traceId: failed.traceId, messageId: 'failed', ttftVisibleMs: null, durationMs: 800, outcome: 'error', responsible: { layer: 'model-service/chat sim-gpt-1', reason: 'error' } },
    ]);

    const all = (await (await fetch(`${collector.url}/api/dashboard?slowest=10`)).json()) as Dashboard;
    expect(all.slowest.at(-1)).toEqual({
      traceId: failed.traceId,
      messageId: 'failed',
      ttftVisibleMs: null,
      durationMs: 800,
      outcome: 'error',
      responsible: { layer: 'model-service/chat sim-gpt-1', reason: 'error' },
    });
    expect((await fetch(`${collector.url}/api/dashboard?window=-3`)).status).toBe(400);
    expect((await fetch(`${collector.url}/api/dashboard?window=abc`)).status).toBe(400);
  });

  it('answers zeros and nulls when there are no messages', async () => {
    collector = await startCollector({ port: 0, panelDir: '/nonexistent' });
    const dashboard = (await (await fetch(`${collector.url}/api/dashboard`)).json()) as Dashboard;
    expect(dashboard.messages).toBe(0);
    expect(dashboard.windowSeconds).toBe(300);
    expect(dashboard.ttftVisibleMs).toEqual({ count: 0, p50: null, p95: null });
    expect(dashboard.errors).toEqual({ failedMessages: 0, rate: 0, byLayer: [] });
    expect(dashboard.slowest).toEqual([]);
  });

  it('keeps only messages whose traces received spans within the window', () => {
    let clock = 1_000_000;
    const store = createSpanStore({ maxSpans: 1000, now: () => clock });
    store.add(normalizeTraces(fast.body, 'hex').data);
    clock += 120_000;
    store.add(normalizeTraces(slow.body, 'hex').data);
    expect(recentMessages(store, clock - 60_000).map((m) => m.messageId)).toEqual(['slow']);
    expect(recentMessages(store, clock - 180_000).map((m) => m.messageId).sort()).toEqual(['fast', 'slow']);
  });

  it('uses nearest-rank percentiles', () => {
    const values = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(nearestRank(values, 50)).toBe(10);
    expect(nearestRank(values, 95)).toBe(19);
    expect(nearestRank([7], 95)).toBe(7);
    expect(nearestRank([], 50)).toBeNull();
  });
});
