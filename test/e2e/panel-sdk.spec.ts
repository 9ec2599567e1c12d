import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { BrowserContext } from '@playwright/test';
import { extensionWorker, launchWithExtension, repo, tabIdOf } from './fixtures/extension.js';
import type { ExtensionBrowser } from './fixtures/extension.js';
import { screenshotDir as imgDir } from './fixtures/screenshots.js';
import { listenLocal } from './fixtures/listen.js';

// The real browser SDK (script-tag build, DevTools hook on) in a page of our own that streams an
// answer over fetch: the extension panel must show that message with the SDK's own chunk series.

const sdkBundle = join(repo, 'sdk/dist/streamtrace.iife.js');
const DELTAS = 25;

const PAGE = `<!doctype html><meta charset="utf-8"><title>sdk chat</title>
<script src="/streamtrace.iife.js" data-service-name="chat-ui" data-endpoint="/v1/traces" data-propagate-to="/api"></script>
<div id="answer"></div>
<script>
  window.__send = async () => {
    const answer = document.getElementById('answer');
    const response = await fetch('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":"hi"}' });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const line of decoder.decode(value, { stream: true }).split('\\n')) {
        if (!line.startsWith('data: ')) continue;
        const event = JSON.parse(line.slice(6));
        if (event.type === 'delta') answer.textContent += event.text;
      }
    }
    return answer.textContent.length;
  };
</script>`;

let server: Server;
let baseUrl = '';
let browser: ExtensionBrowser | undefined;
let context: BrowserContext;

test.beforeAll(async () => {
  const bundle = readFileSync(sdkBundle, 'utf8');
  server = createServer((req, res) => {
    if (req.url === '/streamtrace.iife.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(bundle);
    } else if (req.url === '/v1/traces') {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"partialSuccess":{}}');
      });
    } else if (req.url === '/api/chat') {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      let index = 0;
      res.write(`id: 0\ndata: ${JSON.stringify({ type: 'start', traceId: '', model: 'sim' })}\n\n`);
      const timer = setInterval(() => {
        if (index < DELTAS) {
          res.write(`id: ${index + 1}\ndata: ${JSON.stringify({ type: 'delta', index, text: `word${index} ` })}\n\n`);
          index += 1;
        } else {
          clearInterval(timer);
          res.end(`id: ${index + 1}\ndata: ${JSON.stringify({ type: 'done', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: DELTAS }, events: DELTAS + 2 })}\n\n`);
        }
      }, 20);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(PAGE);
    }
  });
  baseUrl = await listenLocal(server);
  browser = await launchWithExtension('panel-sdk-', { width: 1280, height: 820 });
  context = browser.context;
});

test.afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

test('a message streamed by a page using the real SDK appears in the panel with its chunk series', async () => {
  const { worker, extensionId } = await extensionWorker(context);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/`);
  const tabId = await tabIdOf(worker, baseUrl);
  const panel = await context.newPage();
  await panel.goto(`chrome-extension://${extensionId}/panel.html?tabId=${tabId}`);
  await expect(panel.locator('.conn-connected')).toBeVisible();

  expect(await page.evaluate(() => (window as unknown as { __send(): Promise<number> }).__send())).toBeGreaterThan(0);
  const row = panel.locator('.message-row').first();
  await expect(row).toContainText('ok');
  await expect(row).toContainText(/\d+ chunks/);
  // The SDK counts stream reads (start, deltas, done arrive as separate reads here).
  const counted = Number(/(\d+) chunks/.exec((await row.textContent()) ?? '')![1]);
  expect(counted).toBeGreaterThanOrEqual(DELTAS);
  await row.click();
  await expect(panel.locator('.span-row .span-label').first()).toHaveText('chat.message');
  await expect(panel.locator('.span-row .span-label', { hasText: 'chat.stream' })).toHaveCount(1);
  await expect(panel.locator('.orphan-marker')).toHaveCount(0);
  // Every chunk the SDK counted is a point on the timeline (its full series, not sampled events).
  await expect(panel.locator('.chunk-point')).toHaveCount(counted);
  await expect(panel.locator('.chunk-summary')).toHaveText(new RegExp(`^${counted} chunks(?! \\(sampled)`));
  await expect(panel.locator('.breakdown')).toContainText('Time to first visible token');
  await panel.screenshot({ path: join(imgDir, 'panel-sdk.png') });
});
