import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCollector } from './start.js';
import type { RunningCollector } from './start.js';

let collector: RunningCollector | undefined;
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(process.env.TMPDIR ?? '/work/main/.tmp', 'collector-static-'));
});
afterEach(async () => {
  await collector?.close();
  collector = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** A raw request, so `..` segments reach the server unnormalized. */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('panel UI static files', () => {
  it('serves index.html at / and assets with their content types', async () => {
    const panel = join(dir, 'standalone');
    await mkdir(join(panel, 'assets'), { recursive: true });
    await writeFile(join(panel, 'index.html'), '<!doctype html><title>panel</title>');
    await writeFile(join(panel, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(panel, 'assets', 'app.css'), 'body{}');
    await writeFile(join(dir, 'secret.txt'), 'do not serve');
    collector = await startCollector({ port: 0, panelDir: panel });

    const index = await fetch(`${collector.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await index.text()).toContain('<title>panel</title>');
    const js = await fetch(`${collector.url}/assets/app.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${collector.url}/assets/app.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(`${collector.url}/assets/missing.js`)).status).toBe(404);

    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%5csecret.txt']) {
      const res = await rawGet(collector.url, path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.body).not.toContain('do not serve');
    }
  });

  it('answers 503 with instructions when the panel has not been built', async () => {
    collector = await startCollector({ port: 0, panelDir: join(dir, 'missing') });
    const res = await fetch(`${collector.url}/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
  });
});
