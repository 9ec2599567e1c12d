import { afterEach, describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args.js';
import { MAX_TTL_SECONDS, createSamplingRule, isLoopback } from './sampling-rule.js';
import { startCollector } from './start.js';
import type { RunningCollector } from './start.js';

let collector: RunningCollector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

const put = (url: string, body: unknown, contentType = 'application/json'): Promise<Response> =>
  fetch(`${url}/api/sampling`, { method: 'PUT', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('sampling rule served to browser SDKs', () => {
  it('serves the --sampling-rate default, lets a local operator raise it for a while, and clears it', async () => {
    collector = await startCollector({ port: 0, panelDir: '/nonexistent', samplingRate: 0.01 });
    const url = collector.url;
    const initial = (await (await fetch(`${url}/api/sampling`)).json()) as Record<string, unknown>;
    expect(initial).toMatchObject({ sampleRate: 0.01, source: 'default', ttlSeconds: 600 });

    const raised = await put(url, { sampleRate: 1, ttlSeconds: 900, reason: 'incident-123' });
    expect(raised.status).toBe(200);
    const rule = (await (await fetch(`${url}/api/sampling`, { headers: { origin: 'http://localhost:5173' } })).json()) as Record<string, unknown>;
    expect(rule).toMatchObject({ sampleRate: 1, reason: 'incident-123', source: 'override' });
    expect(Date.parse(rule.expiresAt as string) - Date.now()).toBeGreaterThan(890_000);
    expect(Date.parse(rule.expiresAt as string) - Date.now()).toBeLessThanOrEqual(900_000);

    expect((await fetch(`${url}/api/sampling`, { method: 'DELETE' })).status).toBe(200);
    expect(((await (await fetch(`${url}/api/sampling`)).json()) as Record<string, unknown>).sampleRate).toBe(0.01);
  });

  it('answers CORS for allowed browser origins and refuses others', async () => {
    collector = await startCollector({ port: 0, panelDir: '/nonexistent' });
    const ok = await fetch(`${collector.url}/api/sampling`, { headers: { origin: 'http://localhost:5173' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(await ok.json()).toEqual({ sampleRate: null, source: 'none' });
    expect((await fetch(`${collector.url}/api/sampling`, { headers: { origin: 'https://evil.example' } })).status).toBe(403);
  });

  it('refuses malformed or unbounded overrides and keeps the previous rule', async () => {
    collector = await startCollector({ port: 0, panelDir: '/nonexistent' });
    const url = collector.url;
    for (const body of [{ sampleRate: 2 }, { sampleRate: '1' }, { sampleRate: 1, ttlSeconds: MAX_TTL_SECONDS + 1 }, { sampleRate: 1, ttlSeconds: 0.5 }, { sampleRate: 1, reason: 'x'.repeat(200) }, [1], '{oops']) {
      expect((await put(url, body)).status).toBe(400);
    }
    expect((await put(url, { sampleRate: 1 }, 'text/plain')).status).toBe(415);
    expect((await put(url, 'x'.repeat(5000))).status).toBe(413);
    expect((await fetch(`${url}/api/sampling`, { method: 'POST' })).status).toBe(405);
    expect(await (await fetch(`${url}/api/sampling`)).json()).toEqual({ sampleRate: null, source: 'none' });
  });

  it('an expired override falls back to the default', () => {
    let clock = 1_000_000;
    const rule = createSamplingRule({ defaultRate: 0.1, now: () => clock });
    expect(rule.set({ sampleRate: 1, ttlSeconds: 60 })).toMatchObject({ sampleRate: 1, ttlSeconds: 60, source: 'override' });
    clock += 59_000;
    expect(rule.get()).toMatchObject({ sampleRate: 1, ttlSeconds: 1 });
    clock += 1000;
    expect(rule.get()).toMatchObject({ sampleRate: 0.1, source: 'default' });
  });

  it('only loopback peers may change the rule', () => {
    for (const a of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.1.2.3']) expect(isLoopback(a)).toBe(true);
    for (const a of ['10.0.0.1', '::ffff:192.168.1.2', '1127.0.0.1', undefined]) expect(isLoopback(a)).toBe(false);
  });

  it('reads --sampling-rate and COLLECTOR_SAMPLING_RATE (flag wins) and refuses out-of-range rates', () => {
    expect(parseCliArgs([], { COLLECTOR_SAMPLING_RATE: '0.05' })).toEqual({ help: false, options: { samplingRate: 0.05 } });
    expect(parseCliArgs(['--sampling-rate=1'], { COLLECTOR_SAMPLING_RATE: '0.05' })).toEqual({ help: false, options: { samplingRate: 1 } });
    expect(() => parseCliArgs(['--sampling-rate', '1.5'], {})).toThrow(/between 0 and 1/);
    expect(() => parseCliArgs([], { COLLECTOR_SAMPLING_RATE: 'all' })).toThrow(/COLLECTOR_SAMPLING_RATE/);
  });
});
