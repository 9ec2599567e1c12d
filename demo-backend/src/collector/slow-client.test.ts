import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { hexId, otlpJson, postJson } from './fixtures.test-helpers.js';
import { startCollector } from './start.js';
import type { RunningCollector } from './start.js';

interface RawExchange {
  /** What the collector wrote before closing the connection. */
  response: string;
  /** ms from connecting until the collector closed the connection. */
  closedAfterMs: number;
}

/**
 * Opens a raw connection, writes `head`, then writes one `drip` byte every `dripEveryMs` until the
 * collector closes the connection (or `giveUpMs` passes, which fails the test).
 */
function slowClient(port: number, head: string, dripEveryMs: number, giveUpMs: number): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let response = '';
    let drip: NodeJS.Timeout | undefined;
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`collector still holds the slow request after ${giveUpMs} ms`));
    }, giveUpMs);
    socket.on('connect', () => {
      socket.write(head);
      drip = setInterval(() => {
        if (socket.writable) socket.write('x');
      }, dripEveryMs);
    });
    socket.on('data', (chunk: Buffer) => {
      response += chunk.toString('latin1');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(drip);
      clearTimeout(giveUp);
      resolve({ response, closedAfterMs: Date.now() - started });
    });
  });
}

function status(response: string): number | undefined {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(response);
  return match ? Number(match[1]) : undefined;
}

async function spanCount(collector: RunningCollector): Promise<number> {
  const health = (await (await fetch(`${collector.url}/api/health`)).json()) as { spans: number };
  return health.spans;
}

describe('slow clients (slowloris)', () => {
  let collector: RunningCollector | undefined;
  afterEach(async () => {
    await collector?.close();
    collector = undefined;
  });

  it('answers 408 to a body trickled one byte at a time once the request timeout passes, serving others meanwhile', async () => {
    // Body idle timeout is out of the way: each byte arrives well within it, only the total is too slow.
    collector = await startCollector({ port: 0, requestTimeoutMs: 1500, headersTimeoutMs: 1000, bodyIdleTimeoutMs: 60_000 });
    const head = `POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1:${collector.port}\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{`;
    const slow = slowClient(collector.port, head, 200, 10_000);

    // Meanwhile a normal exporter is served at once.
    await new Promise((r) => setTimeout(r, 300));
    const traceId = hexId(16);
    const ok = await postJson(`${collector.url}/v1/traces`, otlpJson('svc', [{ traceId }]));
    expect(ok.status).toBe(200);
    expect(await spanCount(collector)).toBe(1);

    const { response, closedAfterMs } = await slow;
    expect(status(response)).toBe(408);
    expect(closedAfterMs).toBeLessThan(5000);
  });

  it('answers 408 to a body that stops arriving (body idle timeout), well before the request timeout', async () => {
    collector = await startCollector({ port: 0, requestTimeoutMs: 60_000, headersTimeoutMs: 30_000, bodyIdleTimeoutMs: 400 });
    const head = `POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1:${collector.port}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"resourceSpans":`;
    // One byte every 2 s: each gap exceeds the 400 ms idle bound.
    const { response, closedAfterMs } = await slowClient(collector.port, head, 2000, 10_000);
    expect(status(response)).toBe(408);
    expect(response).toContain('no body bytes received');
    expect(closedAfterMs).toBeLessThan(2000);
    expect(await spanCount(collector)).toBe(0);
  });

  it('answers 408 to headers that never finish (headers timeout)', async () => {
    collector = await startCollector({ port: 0, requestTimeoutMs: 60_000, headersTimeoutMs: 800, bodyIdleTimeoutMs: 60_000 });
    const head = `POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1:${collector.port}\r\nx-slow: `;
    const { response, closedAfterMs } = await slowClient(collector.port, head, 200, 10_000);
    expect(status(response)).toBe(408);
    expect(closedAfterMs).toBeLessThan(4000);
    // The collector still serves.
    expect((await fetch(`${collector.url}/api/health`)).status).toBe(200);
  });
});
