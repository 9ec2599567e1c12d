import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { init } from '../index.js';
import { remoteSamplingRule } from '../sampling-rule.js';

describe('init() with a sampling rule', () => {
  it('starts at the configured rate, switches to the served rule without blocking init, and reports it', async () => {
    let requests = 0;
    const server = createServer((req, res) => {
      if (req.method === 'GET') requests++;
      res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'access-control-allow-headers': '*' });
      res.end(JSON.stringify({ sampleRate: 1, ttlSeconds: 60, reason: 'incident-123' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/sampling`;
    const st = init({ endpoint: 'http://127.0.0.1:9/v1/traces', sampleRate: 0, samplingRule: remoteSamplingRule(url), pageHealth: false });
    try {
      expect(st.sampling()).toMatchObject({ sampleRate: 0, source: 'config', sessionSampled: false });
      await expect.poll(() => st.sampling().source, { timeout: 5000 }).toBe('rule');
      expect(st.sampling()).toMatchObject({ sampleRate: 1, reason: 'incident-123', sessionSampled: true, unsampled: { tracesKept: 0 } });
      expect(requests).toBe(1);
      expect(Date.parse(st.sampling().expiresAt as string) - Date.now()).toBeGreaterThan(50_000);
    } finally {
      await st.shutdown();
      server.close();
    }
  });
});
