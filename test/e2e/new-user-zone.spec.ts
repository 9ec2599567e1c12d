import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, test, type Page } from '@playwright/test';
import { startSdkTestServer } from '../../sdk/e2e-support/server.mjs';
import { attr, type OtlpSpan } from './hardening-harness.js';

// Angular apps run on zone.js, which patches EventTarget.prototype; its change detection only runs
// for listeners called in the zone they were added in. The script tag often loads before the app's
// polyfills (zone.js after the SDK) or after them: either way, EventSource and WebSocket listeners
// must run in their zone exactly as without the SDK, and still be timed.
type Server = Awaited<ReturnType<typeof startSdkTestServer>>;
let server: Server;

const zoneJs = readFileSync(createRequire(import.meta.url).resolve('zone.js'), 'utf8').replace(/<\/script/gi, '<\\/script');

test.beforeAll(async () => {
  server = await startSdkTestServer();
  const base = server.baseUrl;
  const tag = `<script src="/dist/streamtrace.iife.js" data-endpoint="${base}/v1/traces" data-service-name="zone" data-propagate-to="${base}"></script>`;
  const zone = `<script>${zoneJs}</script>`;
  server.setPage('/zone-only.html', `<!doctype html><body>${zone}</body>`);
  server.setPage('/zone-first.html', `<!doctype html><body>${zone}${tag}</body>`);
  server.setPage('/sdk-first.html', `<!doctype html><body>${tag}${zone}</body>`);
});
test.afterAll(async () => server.close());

/** Which zone each listener ran in, in order; `removeEventListener` through zone.js too. */
const inZones = `
  const app = Zone.current.fork({ name: 'app' });
  const log = [];
  await app.run(() => new Promise((resolve) => {
    const es = new EventSource('/sse?count=4&delay=5');
    const removed = () => log.push('removed listener called');
    es.addEventListener('message', removed);
    es.removeEventListener('message', removed);
    es.addEventListener('message', (e) => log.push('es listener:' + Zone.current.name + ':' + JSON.parse(e.data).type));
    es.onmessage = (e) => { log.push('es onmessage:' + Zone.current.name); if (JSON.parse(e.data).type === 'done') { es.close(); resolve(); } };
  }));
  await app.run(() => new Promise((resolve) => {
    const ws = new WebSocket(location.origin.replace('http', 'ws') + '/ws');
    ws.addEventListener('open', () => ws.send('stream'));
    ws.onmessage = () => log.push('ws onmessage:' + Zone.current.name);
    ws.addEventListener('message', (e) => { log.push('ws message:' + Zone.current.name); if (JSON.parse(e.data).type === 'done') ws.close(); });
    ws.addEventListener('close', () => { log.push('ws close:' + Zone.current.name); resolve(); });
  }));
  return log;`;

async function run(page: Page, path: string): Promise<unknown> {
  await page.goto(`${server.baseUrl}${path}`);
  return page.evaluate(`(async () => { ${inZones} })()`);
}

test('zone.js loaded before or after the script tag: EventSource and WebSocket listeners run in their zone as without the SDK, and are timed', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const native = (await run(page, '/zone-only.html')) as string[];
  expect(native).toContain('es listener:app:delta');
  expect(native).toContain('ws close:app');
  expect(native.filter((l) => l === 'ws message:app')).toHaveLength(4);
  for (const path of ['/zone-first.html', '/sdk-first.html']) {
    expect(await run(page, path), path).toEqual(native);
    await page.evaluate(() => (window as unknown as { Streamtrace: { instance: { flush(): Promise<void> } } }).Streamtrace.instance.flush());
  }
  expect(errors).toEqual([]);
  const streams = (server.spans() as OtlpSpan[]).filter((s) => s.name === 'chat.stream');
  // Two pages with the SDK, each one EventSource (4 deltas + done) and one WebSocket, every chunk counted.
  expect(streams.filter((s) => attr(s, 'streamtrace.stream.transport') === 'eventsource').map((s) => attr(s, 'streamtrace.stream.chunks'))).toEqual([5, 5]);
  const ws = streams.filter((s) => attr(s, 'streamtrace.stream.transport') === 'websocket');
  expect(ws).toHaveLength(2);
  expect(ws.map((s) => attr(s, 'streamtrace.stream.chunks'))).toEqual([4, 4]);
});
