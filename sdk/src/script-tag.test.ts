import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { init, optionsFromScript } from './script-tag.js';
import type { Streamtrace } from './sdk.js';

let server: Server | undefined;
let sdk: Streamtrace | undefined;
afterEach(async () => {
  await sdk?.shutdown();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  sdk = undefined;
  server = undefined;
});

describe('script tag', () => {
  it('data-sampling-rule-url: the SDK follows the rule that URL serves', async () => {
    const requests: string[] = [];
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
      res.end(JSON.stringify({ sampleRate: 0.25, ttlSeconds: 600, reason: 'incident' }));
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const ruleUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/sampling`;

    const script = document.createElement('script');
    script.dataset.serviceName = 'page';
    script.dataset.endpoint = 'http://127.0.0.1:9/v1/traces';
    script.dataset.samplingRuleUrl = ruleUrl;
    const options = optionsFromScript(script);
    expect(options).toEqual({ serviceName: 'page', endpoint: 'http://127.0.0.1:9/v1/traces', samplingRuleUrl: ruleUrl });

    sdk = init({ ...options, pageHealth: false });
    expect(sdk.sampling().source).toBe('config');
    await expect.poll(() => sdk?.sampling()).toMatchObject({ sampleRate: 0.25, source: 'rule', reason: 'incident' });
    expect(requests.filter((r) => r.startsWith('GET'))).toEqual(['GET /api/sampling']);
  });

  it('without the attribute no rule is requested', () => {
    const script = document.createElement('script');
    script.dataset.endpoint = 'http://127.0.0.1:9/v1/traces';
    script.dataset.samplingRuleUrl = '';
    expect(optionsFromScript(script)).toEqual({ endpoint: 'http://127.0.0.1:9/v1/traces' });
  });
});
