import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { forwardTarget } from './forwarder.js';
import { startCollector } from './start.js';
import { hexId, otlpJson, postJson } from './fixtures.test-helpers.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningCollector } from './start.js';

interface Received {
  path: string;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  body: Buffer;
}

let collector: RunningCollector | undefined;
let upstream: Server | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
  await new Promise((resolve) => (upstream ? upstream.close(resolve) : resolve(undefined)));
  upstream = undefined;
});

async function startUpstream(status: number, received: Received[]): Promise<string> {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'], contentEncoding: req.headers['content-encoding'], body: Buffer.concat(chunks) });
      res.writeHead(status).end('{}');
    });
  });
  await new Promise<void>((resolve) => upstream?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
}

describe('forwarding to a real OTLP endpoint', () => {
  it('derives the logs URL from the traces URL and a base URL', () => {
    expect(forwardTarget('http://otel:4318/v1/traces', 'logs')).toBe('http://otel:4318/v1/logs');
    expect(forwardTarget('http://otel:4318/v1/traces', 'traces')).toBe('http://otel:4318/v1/traces');
    expect(forwardTarget('http://otel:4318', 'traces')).toBe('http://otel:4318/v1/traces');
    expect(forwardTarget('http://otel:4318/prefix/', 'logs')).toBe('http://otel:4318/prefix/v1/logs');
    expect(forwardTarget('http://otel:4318/v1/traces', 'metrics')).toBe('http://otel:4318/v1/metrics');
  });

  it('posts accepted bodies as received (same type and encoding), and not refused ones', async () => {
    const received: Received[] = [];
    const base = await startUpstream(200, received);
    collector = await startCollector({ port: 0, forwardUrl: `${base}/v1/traces` });
    const traces = gzipSync(JSON.stringify(otlpJson('svc', [{ traceId: hexId(16) }])));
    await fetch(`${collector.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: traces });
    await postJson(`${collector.url}/v1/logs`, { resourceLogs: [] });
    await postJson(`${collector.url}/v1/metrics`, { resourceMetrics: [] });
    await postJson(`${collector.url}/v1/traces`, 'not json');
    await collector.forwarder?.drain();

    expect(received.map((r) => r.path).sort()).toEqual(['/v1/logs', '/v1/metrics', '/v1/traces']);
    const forwardedTraces = received.find((r) => r.path === '/v1/traces');
    expect(forwardedTraces?.contentEncoding).toBe('gzip');
    expect(forwardedTraces?.contentType).toBe('application/json');
    expect(forwardedTraces?.body.equals(traces)).toBe(true);
    expect(collector.forwarder?.stats()).toMatchObject({ forwarded: 3, failed: 0 });
  });

  it('never fails ingest when the upstream fails, and logs the failure', async () => {
    const lines: string[] = [];
    const received: Received[] = [];
    const base = await startUpstream(503, received);
    collector = await startCollector({ port: 0, forwardUrl: base, log: (line) => lines.push(line) });
    const traceId = hexId(16);
    const res = await postJson(`${collector.url}/v1/traces`, otlpJson('svc', [{ traceId }]));
    expect(res.status).toBe(200);
    await collector.forwarder?.drain();
    expect(collector.forwarder?.stats()).toMatchObject({ forwarded: 0, failed: 1 });
    expect(lines.some((line) => line.includes('answered 503'))).toBe(true);
    expect((await fetch(`${collector.url}/api/v3/traces/${traceId}`)).status).toBe(200);
  });

  it('survives an unreachable upstream', async () => {
    const lines: string[] = [];
    collector = await startCollector({ port: 0, forwardUrl: 'http://127.0.0.1:1/v1/traces', log: (line) => lines.push(line) });
    expect((await postJson(`${collector.url}/v1/traces`, otlpJson('svc', [{ traceId: hexId(16) }]))).status).toBe(200);
    await collector.forwarder?.drain();
    expect(collector.forwarder?.stats().failed).toBe(1);
    expect(lines.some((line) => line.startsWith('forward:'))).toBe(true);
  });
});
