// Pages often carry another observability SDK that wraps the same globals (fetch, XHR,
// EventTarget.prototype.addEventListener for its try/catch, WebSocket): Sentry with tracing and
// Datadog RUM, each loaded before or after our script tag. The app must observe exactly what it
// observes with that SDK alone, and every stream must still be traced chunk for chunk.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { startSdkTestServer } from '../../sdk/e2e-support/server.mjs';
import { attr, type OtlpSpan } from './hardening-harness.js';
import { bundleBrowserEntries } from './fixtures/browser-bundle.js';

type Server = Awaited<ReturnType<typeof startSdkTestServer>>;
let server: Server;

/** Each vendor's documented quick start, sending to this page's own origin (answered 404). */
const QUICK_STARTS = {
  sentry: `import * as Sentry from '@sentry/browser';
Sentry.init({ dsn: location.protocol + '//public@' + location.host + '/1', integrations: [Sentry.browserTracingIntegration()], tracesSampleRate: 1, tracePropagationTargets: [location.origin] });`,
  datadog: `import { datadogRum } from '@datadog/browser-rum';
datadogRum.init({ applicationId: '00000000-0000-4000-8000-000000000000', clientToken: 'pub00000000000000000000000000000000', site: 'datadoghq.com', service: 'e2e',
  proxy: location.origin + '/sink/dd', sessionSampleRate: 100, sessionReplaySampleRate: 0, trackResources: true, trackLongTasks: true, trackUserInteractions: true, allowedTracingUrls: [location.origin] });`,
};

test.beforeAll(async () => {
  server = await startSdkTestServer();
  const base = server.baseUrl;
  const tag = `<script src="/dist/streamtrace.iife.js" data-endpoint="${base}/v1/traces" data-service-name="other-sdks" data-propagate-to="${base}"></script>
<script>window.msg = Streamtrace.instance.startMessage({});</script>`;
  const entries = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.tmp', 'other-sdks');
  mkdirSync(entries, { recursive: true });
  for (const [name, source] of Object.entries(QUICK_STARTS)) {
    const entry = join(entries, `${name}.js`);
    writeFileSync(entry, source);
    const files = await bundleBrowserEntries({ input: { [name]: entry }, cacheName: `vite-other-sdks-${name}`, minify: true, format: 'iife' });
    const vendor = `<script>${(files.get(`${name}.js`) as string).replace(/<\/script/gi, '<\\/script')}</script>`;
    const target = '<div data-streamtrace-message></div>';
    server.setPage(`/${name}-alone.html`, `<!doctype html><body>${target}${vendor}</body>`);
    server.setPage(`/${name}-then-streamtrace.html`, `<!doctype html><body>${target}${vendor}${tag}</body>`);
    server.setPage(`/streamtrace-then-${name}.html`, `<!doctype html><body>${target}${tag}${vendor}</body>`);
  }
});
test.afterAll(async () => server.close());

/** What the app observes: listener calls (also a removed one), `this`, handlers, close codes, a fetch Response and body, an XHR. */
const scenario = `
  const log = [];
  await new Promise((resolve) => {
    const es = new EventSource('/sse?count=3&delay=5');
    const removed = () => log.push('removed listener called');
    es.addEventListener('message', removed);
    es.removeEventListener('message', removed);
    es.addEventListener('message', function (e) { log.push(['es listener', this === es, JSON.parse(e.data).type]); });
    es.onmessage = (e) => { log.push(['es onmessage', typeof es.onmessage]); if (JSON.parse(e.data).type === 'done') { es.close(); resolve(); } };
  });
  await new Promise((resolve) => {
    const ws = new WebSocket(location.origin.replace('http', 'ws') + '/ws');
    const removed = () => log.push('removed ws listener called');
    ws.addEventListener('message', removed);
    ws.removeEventListener('message', removed);
    ws.onopen = () => ws.send('stream');
    ws.addEventListener('message', (e) => { log.push(['ws', JSON.parse(e.data).type]); if (JSON.parse(e.data).type === 'done') ws.close(); });
    ws.onclose = (e) => { log.push(['ws close', e.code, e.wasClean]); resolve(); };
  });
  const res = await fetch('/sse?count=3&delay=5&mode=close');
  log.push(['fetch', res.status, Object.keys(res).length, res.url === location.origin + '/sse?count=3&delay=5&mode=close', res.headers.get('content-type')]);
  const reader = res.body.getReader();
  let bytes = 0;
  for (;;) { const { done, value } = await reader.read(); if (done) break; bytes += value.byteLength; }
  log.push(['fetch bytes', bytes]);
  const xhr = new XMLHttpRequest();
  xhr.open('GET', '/json');
  await new Promise((resolve) => { xhr.onload = resolve; xhr.send(); });
  log.push(['xhr', xhr.status, JSON.parse(xhr.responseText).ok]);
  return log;`;

for (const vendor of Object.keys(QUICK_STARTS)) {
  test(`${vendor} before or after the script tag: the app observes what it does with ${vendor} alone, and every stream is traced`, async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const spansBefore = server.spans().length;
    await page.goto(`${server.baseUrl}/${vendor}-alone.html`);
    const alone = (await page.evaluate(`(async () => { ${scenario} })()`)) as unknown[];
    expect(JSON.stringify(alone)).toContain('"es listener",true,"done"');
    expect(JSON.stringify(alone)).toContain('"ws close",1005');
    for (const path of [`/${vendor}-then-streamtrace.html`, `/streamtrace-then-${vendor}.html`]) {
      await page.goto(`${server.baseUrl}${path}`);
      expect(await page.evaluate(`(async () => { ${scenario} })()`), path).toEqual(alone);
      await page.evaluate(async () => {
        const w = window as unknown as { msg: { end(): void }; Streamtrace: { instance: { flush(): Promise<void> } } };
        w.msg.end();
        await w.Streamtrace.instance.flush();
      });
    }
    expect(errors).toEqual([]);
    const streams = (server.spans() as OtlpSpan[]).slice(spansBefore).filter((s) => s.name === 'chat.stream');
    const counted = streams.map((s) => `${String(attr(s, 'streamtrace.stream.transport'))}:${String(attr(s, 'streamtrace.stream.chunks'))}`).sort();
    // Two pages, each: 3 deltas + done on the EventSource, the WebSocket and the fetch body; one XHR load.
    expect(counted).toEqual(['eventsource:4', 'eventsource:4', 'fetch:4', 'fetch:4', 'websocket:4', 'websocket:4', 'xhr:1', 'xhr:1']);
  });
}
