import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../shared/listen.js';
import { createWebHandler } from './handler.js';

let dir: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'web-server-'));
  const root = join(dir, 'dist');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>chat</title>');
  await writeFile(join(root, 'assets', 'main-abc.js'), 'console.log(1)');
  await writeFile(join(root, 'assets', 'main-abc.css'), 'body{}');
  await writeFile(join(dir, 'secret.txt'), 'outside the root');
  server = createServer(
    createWebHandler({ root, config: { gatewayUrl: 'http://gw.test', collectorUrl: 'http://col.test' } }),
  );
  base = await listen(server, 0);
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('demo page web server', () => {
  it('serves the page config the chat page reads before init', async () => {
    const res = await fetch(`${base}/config.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ gatewayUrl: 'http://gw.test', collectorUrl: 'http://col.test' });
  });

  it('serves built files with their content types', async () => {
    const js = await fetch(`${base}/assets/main-abc.js`);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await js.text()).toBe('console.log(1)');
    const css = await fetch(`${base}/assets/main-abc.css`);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    const html = await fetch(`${base}/?transport=websocket`);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await html.text()).toContain('<title>chat</title>');
  });

  it('falls back to index.html for app routes but not for missing assets', async () => {
    const route = await fetch(`${base}/conversations/42`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>chat</title>');
    const missing = await fetch(`${base}/assets/nope.js`);
    expect(missing.status).toBe(404);
  });

  it('never serves files outside its root', async () => {
    for (const path of ['/..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
      const res = await fetch(`${base}${path}`);
      expect(await res.text(), path).not.toContain('outside the root');
    }
  });

  it('refuses methods other than GET and HEAD', async () => {
    const res = await fetch(`${base}/index.html`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(405);
    const head = await fetch(`${base}/index.html`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
