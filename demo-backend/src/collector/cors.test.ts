import { afterEach, describe, expect, it } from 'vitest';
import { createCorsPolicy } from './cors.js';
import { startCollector } from './start.js';
import { hexId, otlpJson, postJson } from './fixtures.test-helpers.js';
import type { RunningCollector } from './start.js';

let collector: RunningCollector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

function preflight(url: string, origin: string): Promise<Response> {
  return fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
}

describe('CORS', () => {
  it('answers preflights for local pages and the DevTools extension', async () => {
    collector = await startCollector({ port: 0 });
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:8080', 'https://localhost', 'http://[::1]:3000', 'chrome-extension://abcdefghijklmnopabcdefghijklmnop']) {
      const res = await preflight(`${collector.url}/v1/traces`, origin);
      expect(res.status, origin).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-headers')).toContain('content-type');
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    }
  });

  it('refuses other origins: no CORS headers, 403, nothing stored', async () => {
    collector = await startCollector({ port: 0 });
    const pre = await preflight(`${collector.url}/v1/traces`, 'https://evil.example');
    expect(pre.status).toBe(403);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const lookalike = await preflight(`${collector.url}/v1/traces`, 'http://localhost.evil.example:80');
    expect(lookalike.status).toBe(403);

    const post = await postJson(`${collector.url}/v1/traces`, otlpJson('svc', [{ traceId: hexId(16) }]), { origin: 'https://evil.example' });
    expect(post.status).toBe(403);
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
    const read = await fetch(`${collector.url}/api/traces`, { headers: { origin: 'https://evil.example' } });
    expect(read.status).toBe(403);
    const health = (await (await fetch(`${collector.url}/api/health`)).json()) as { spans: number };
    expect(health.spans).toBe(0);
  });

  it('uses the configured allow-list instead of the local defaults', async () => {
    collector = await startCollector({ port: 0, allowOrigins: ['https://*.example.dev'] });
    expect((await preflight(`${collector.url}/v1/traces`, 'https://app.example.dev')).status).toBe(204);
    expect((await preflight(`${collector.url}/v1/traces`, 'http://localhost:5173')).status).toBe(403);
    const res = await fetch(`${collector.url}/api/health`, { headers: { origin: 'https://app.example.dev' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.dev');
    expect(res.headers.get('vary')).toBe('Origin');
  });

  it('treats the collector’s own origin as same-origin', () => {
    const policy = createCorsPolicy(['https://only.example']);
    expect(policy.isAllowed('http://192.168.1.5:4318', '192.168.1.5:4318')).toBe(true);
    expect(policy.isAllowed('http://192.168.1.5:4318', 'other:4318')).toBe(false);
  });
});
