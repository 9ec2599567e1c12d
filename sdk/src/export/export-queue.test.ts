import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createExportQueue, type SendOutcome } from './export-queue.js';
import { parseRetryAfter } from './fetch-sender.js';

const span = (name: string): ReadableSpan => ({ name }) as unknown as ReadableSpan;
const names = (body: Uint8Array): string[] => JSON.parse(new TextDecoder().decode(body)) as string[];
const serialize = (spans: ReadableSpan[]): Uint8Array => new TextEncoder().encode(JSON.stringify(spans.map((s) => s.name)));

afterEach(() => vi.useRealTimers());

describe('ExportQueue', () => {
  it('keeps undelivered spans, retries after backoff and delivers each span exactly once', async () => {
    vi.useFakeTimers();
    const delivered: string[] = [];
    const outcomes: SendOutcome[] = [{ kind: 'retry', reason: 'down' }, { kind: 'retry', afterMs: 5000, reason: '429' }];
    const q = createExportQueue({ maxPending: 10, maxBatch: 10, initialBackoffMs: 100, serialize, send: async (body) => {
      const next = outcomes.shift() ?? { kind: 'ok' };
      if (next.kind === 'ok') delivered.push(...names(body));
      return next;
    } });
    q.export([span('a'), span('b')]);
    await vi.advanceTimersByTimeAsync(0);
    expect(q.stats).toMatchObject({ spansPending: 2, exportFailures: 1 });
    await vi.advanceTimersByTimeAsync(150); // backoff ≈100 ms ±20 %
    expect(q.stats.exportFailures).toBe(2);
    await vi.advanceTimersByTimeAsync(4000); // Retry-After 5 s not yet over
    expect(delivered).toEqual([]);
    q.export([span('c')]);
    await vi.advanceTimersByTimeAsync(1100);
    expect(delivered).toEqual(['a', 'b', 'c']);
    expect(q.stats).toMatchObject({ spansExported: 3, spansPending: 0, spansDropped: 0, exportRetries: 2 });
  });

  it('drops the oldest beyond maxPending and counts them', async () => {
    const q = createExportQueue({ maxPending: 3, maxBatch: 10, initialBackoffMs: 60_000, serialize, send: async () => ({ kind: 'retry', reason: 'down' }) });
    q.export([span('1')]);
    await q.forceFlush();
    q.export([span('2'), span('3'), span('4'), span('5')]);
    expect(q.stats).toMatchObject({ spansPending: 3, spansDropped: 2 });
    await q.shutdown();
  });

  it('drops a refused batch (no resend) and keeps going', async () => {
    const sent: string[][] = [];
    const q = createExportQueue({ maxPending: 10, maxBatch: 1, serialize, send: async (body) => {
      sent.push(names(body));
      return sent.length === 1 ? { kind: 'drop', reason: 'status 500' } : { kind: 'ok' };
    } });
    q.export([span('x'), span('y')]);
    await q.forceFlush();
    expect(sent).toEqual([['x'], ['y']]);
    expect(q.stats).toMatchObject({ spansDropped: 1, spansExported: 1, exportFailures: 1 });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, bounded', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter('99999')).toBe(300_000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it("sendNow first asks the sender to put what it is still preparing on the wire, even with nothing queued", async () => {
    const calls: string[] = [];
    const send = Object.assign(async (_body: Uint8Array, leaving: boolean): Promise<SendOutcome> => {
      calls.push(leaving ? 'send leaving' : 'send');
      return { kind: 'ok' };
    }, { leave: () => calls.push('leave') });
    const q = createExportQueue({ maxPending: 10, maxBatch: 10, serialize, send });
    q.sendNow();
    expect(calls).toEqual(['leave']);
    q.export([span('a')]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    q.sendNow();
    expect(calls).toEqual(['leave', 'send', 'leave']);
  });
});
