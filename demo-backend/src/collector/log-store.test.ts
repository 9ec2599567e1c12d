import { afterEach, describe, expect, it } from 'vitest';
import { createLogStore } from './log-store.js';
import { hexId, postJson } from './fixtures.test-helpers.js';
import { normalizeLogs } from './normalize-logs.js';
import { startCollector } from './start.js';
import type { RunningCollector } from './start.js';
import type { LogsData } from './otlp-types.js';

let collector: RunningCollector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

function logsRequest(service: string, records: Array<{ body: string; timeMs: number; traceId?: string; observedOnly?: boolean }>) {
  return {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeLogs: [
          {
            scope: { name: 'pino' },
            logRecords: records.map((r) => ({
              ...(r.observedOnly ? {} : { timeUnixNano: String(BigInt(r.timeMs) * 1_000_000n) }),
              observedTimeUnixNano: String(BigInt(r.timeMs) * 1_000_000n),
              body: { stringValue: r.body },
              ...(r.traceId ? { traceId: r.traceId, spanId: hexId(8) } : {}),
            })),
          },
        ],
      },
    ],
  };
}

function bodies(data: LogsData | undefined): string[] {
  return (data?.resourceLogs ?? []).flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords.map((r) => r.body?.stringValue ?? '')));
}

describe('log store', () => {
  it('returns a trace’s records sorted by time, whatever order the batches came in', () => {
    const store = createLogStore({ maxLogRecords: 100 });
    const traceId = hexId(16);
    store.add(normalizeLogs(logsRequest('gw', [{ body: 'third', timeMs: 30, traceId }, { body: 'first', timeMs: 10, traceId }]), 'hex').data);
    store.add(normalizeLogs(logsRequest('gw', [{ body: 'second', timeMs: 20, traceId, observedOnly: true }]), 'hex').data);
    expect(bodies(store.get(traceId))).toEqual(['first', 'second', 'third']);
  });

  it('keeps records without a trace id in a bounded untraced bucket, oldest dropped first', () => {
    const store = createLogStore({ maxLogRecords: 100, maxUntracedLogRecords: 3 });
    const traceId = hexId(16);
    store.add(normalizeLogs(logsRequest('gw', [1, 2, 3, 4, 5].map((n) => ({ body: `u${n}`, timeMs: 100 - n }))), 'hex').data);
    store.add(normalizeLogs(logsRequest('gw', [{ body: 'traced', timeMs: 1, traceId }]), 'hex').data);
    // u4 and u5 are the newest arrivals; their times sort them before u3.
    expect(bodies(store.untraced())).toEqual(['u5', 'u4', 'u3']);
    expect(bodies(store.get(traceId))).toEqual(['traced']);
    expect(store.stats()).toMatchObject({ logRecords: 1, unlinkedLogRecords: 5, untracedLogRecords: 3, maxUntracedLogRecords: 3, evictedUntracedLogRecords: 2 });
  });

  it('serves the untraced bucket at /api/logs/untraced', async () => {
    collector = await startCollector({ port: 0, panelDir: '/nonexistent' });
    const res = await postJson(`${collector.url}/v1/logs`, logsRequest('vector-store', [{ body: 'index loaded', timeMs: 5 }, { body: 'listening', timeMs: 6 }]));
    expect(res.status).toBe(200);
    const data = (await (await fetch(`${collector.url}/api/logs/untraced`)).json()) as LogsData;
    expect(bodies(data)).toEqual(['index loaded', 'listening']);
    expect(data.resourceLogs[0]?.resource.attributes[0]?.value.stringValue).toBe('vector-store');
  });
});
