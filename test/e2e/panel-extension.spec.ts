import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { BrowserContext, Page } from '@playwright/test';
import { extensionWorker, launchWithExtension, repo, tabIdOf } from './fixtures/extension.js';
import type { ExtensionBrowser } from './fixtures/extension.js';
import { screenshotDir as imgDir } from './fixtures/screenshots.js';
import { listenLocal } from './fixtures/listen.js';

// The unpacked MV3 extension in real Chromium: a page posts protocol-v1 messages (as the SDK
// does), the panel page shows them live, backend spans come from a query endpoint (Jaeger v3
// shape), and the panel survives its service worker being stopped.

const CHUNKS = 40;

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
const nanos = (ms: number): string => (BigInt(Math.round(ms * 1000)) * 1000n).toString();
type Attr = string | number;
const kv = (attrs: Record<string, Attr>) =>
  Object.entries(attrs).map(([key, value]) => ({
    key,
    value: typeof value === 'string' ? { stringValue: value } : Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value },
  }));
interface SpanSpec { id: number; parent?: number; name: string; kind: number; start: number; end: number; attrs?: Record<string, Attr>; events?: { name: string; at: number }[] }

function trace(n: number, t0: number) {
  const traceId = `${hex(0xabc, 8)}${hex(n, 24)}`;
  const spanId = (k: number): string => hex(n * 16 + k, 16);
  const span = (s: SpanSpec) => ({
    traceId,
    spanId: spanId(s.id),
    ...(s.parent ? { parentSpanId: spanId(s.parent) } : {}),
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: nanos(t0 + s.start),
    endTimeUnixNano: nanos(t0 + s.end),
    attributes: kv(s.attrs ?? {}),
    events: (s.events ?? []).map((event) => ({ name: event.name, timeUnixNano: nanos(t0 + event.at), attributes: [] })),
    status: { code: 0 },
  });
  const resource = (service: string, spans: SpanSpec[]) => ({
    resource: { attributes: kv({ 'service.name': service }) },
    scopeSpans: [{ scope: { name: 'e2e' }, spans: spans.map(span) }],
  });
  const browser = resource('chat-web', [
    {
      id: 1, name: 'chat.message', kind: 1, start: 0, end: 3550,
      attrs: { 'session.id': 'session-e2e', 'streamtrace.message.id': `message-${n}`, 'gen_ai.conversation.id': 'conv-e2e', 'streamtrace.message.outcome': 'complete', 'streamtrace.ttft_visible_ms': 560 },
    },
    {
      id: 2, parent: 1, name: 'chat.stream', kind: 3, start: 20, end: 3500,
      attrs: { 'streamtrace.stream.transport': 'fetch', 'streamtrace.stream.chunks': CHUNKS, 'streamtrace.chunk.first_arrival_ms': 500, 'streamtrace.chunk.first_paint_ms': 540, 'streamtrace.chunk.stalls': 1 },
    },
  ]);
  const backend = resource('chat-gateway', [
    { id: 3, parent: 2, name: 'POST /api/chat', kind: 2, start: 40, end: 3450 },
    { id: 4, parent: 3, name: 'retrieval docs', kind: 3, start: 60, end: 170, attrs: { 'gen_ai.operation.name': 'retrieval' } },
    { id: 5, parent: 3, name: 'chat sim-gpt-1', kind: 3, start: 180, end: 3400, attrs: { 'gen_ai.operation.name': 'chat', 'gen_ai.response.time_to_first_chunk': 0.29 } },
    { id: 6, parent: 3, name: 'stream sse', kind: 1, start: 175, end: 3440, events: [{ name: 'stream.delta', at: 490 }] },
  ]);
  const chunks = Array.from({ length: CHUNKS }, (_, index) => {
    // A stall between chunk 24 and 25 so the timeline has one to mark.
    const arrival = 520 + index * 15 + (index >= 25 ? 2300 : 0);
    return { index, bytes: 12 + (index % 5), arrivalMs: t0 + arrival, paintMs: t0 + arrival + 40 - (index % 5) * 6 };
  });
  return {
    traceId,
    backend,
    messages: [
      { source: 'streamtrace-sdk', version: 1, type: 'spans', payload: { resourceSpans: [browser] } },
      { source: 'streamtrace-sdk', version: 1, type: 'chunks', payload: { traceId, spanId: spanId(2), chunks } },
    ],
  };
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>chat page</title><h1>chat page</h1><script>
  window.__hellos = 0;
  addEventListener('message', (event) => {
    const data = event.data;
    if (event.source === window && data && data.source === 'streamtrace-devtools' && data.version === 1 && data.type === 'hello') window.__hellos += 1;
  });
  window.__emit = (messages) => { for (const message of messages) window.postMessage(message, '*'); };
</script>`;

let server: Server;
let baseUrl: string;
let browser: ExtensionBrowser | undefined;
let context: BrowserContext;
const backendTraces = new Map<string, unknown>();

test.beforeAll(async () => {
  server = createServer((req, res) => {
    const match = /^\/api\/v3\/traces\/([0-9a-f]{32})$/.exec(req.url ?? '');
    if (match) {
      const found = backendTraces.get(match[1]!);
      res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(found ? { result: { resourceSpans: [found] } } : { error: 'not found' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(PAGE);
  });
  baseUrl = await listenLocal(server);
  browser = await launchWithExtension('panel-e2e-', { width: 1280, height: 820 });
  context = browser.context;
});

test.afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

async function emit(page: Page, messages: unknown[]): Promise<void> {
  await page.evaluate((list) => (window as unknown as { __emit(m: unknown[]): void }).__emit(list), messages);
}

test('panel shows page messages live, joins backend spans and survives a stopped service worker', async () => {
  const { worker, extensionId } = await extensionWorker(context, 15_000);

  const page = await context.newPage();
  await page.goto(`${baseUrl}/`);
  await expect.poll(() => page.evaluate(() => (window as unknown as { __hellos: number }).__hellos)).toBeGreaterThan(0);
  const tabId = await tabIdOf(worker, baseUrl);
  expect(typeof tabId).toBe('number');

  // Sent before any panel exists: the worker buffers it and replays it when the panel connects.
  const t0 = Date.now() - 5000;
  const first = trace(1, t0);
  backendTraces.set(first.traceId, first.backend);
  await emit(page, first.messages);

  const panel = await context.newPage();
  await panel.goto(`chrome-extension://${extensionId}/panel.html?tabId=${tabId}`);
  await expect(panel.locator('.conn-connected')).toBeVisible();
  // A connecting panel makes the content script say hello again (the SDK may have loaded late).
  await expect.poll(() => page.evaluate(() => (window as unknown as { __hellos: number }).__hellos)).toBeGreaterThan(1);
  // Point backend lookups at this test's query endpoint, as a user would in Settings.
  await panel.getByRole('button', { name: 'Settings' }).click();
  await panel.locator('.settings input').first().fill(baseUrl);
  await panel.getByRole('button', { name: 'Save' }).click();

  const firstRow = panel.locator(`.message-row[data-trace-id="${first.traceId}"]`);
  await expect(firstRow).toContainText('message-1');
  await expect(firstRow).toContainText(`${CHUNKS} chunks`);
  await firstRow.click();
  await expect(panel.locator('.lookup-state')).toContainText('backend: 4 spans');
  await expect(panel.locator('.span-row .span-label')).toHaveText(['chat.message', 'chat.stream', 'POST /api/chat', 'retrieval docs', 'stream sse', 'chat sim-gpt-1']);
  await expect(panel.locator('.orphan-marker')).toHaveCount(0);
  await expect(panel.locator('.chunk-point')).toHaveCount(CHUNKS);
  await expect(panel.locator('.chunk-summary')).toContainText('1 stalls');
  await expect(panel.locator('.breakdown-largest')).toContainText('model first token');
  // 20 client + 50 network/gateway + 110 retrieval + 290 model + 50 transport + 40 render = 560.
  await expect(panel.locator('.breakdown-legend li')).toHaveText([/client\s*20 ms/, /network \/ gateway\s*50 ms/, /retrieval\s*110 ms/, /model first token\s*290 ms/, /transport\s*50 ms/, /render\s*40 ms/]);
  await panel.locator('.span-row', { hasText: 'chat sim-gpt-1' }).click();
  await expect(panel.locator('.span-details')).toContainText('gen_ai.response.time_to_first_chunk');
  await panel.screenshot({ path: join(imgDir, 'panel-trace.png') });

  // Live while the panel is open.
  const second = trace(2, t0 + 2000);
  await emit(page, second.messages);
  await expect(panel.locator(`.message-row[data-trace-id="${second.traceId}"]`)).toContainText('message-2');

  // Stop the MV3 service worker, as Chrome does when it is idle. (ServiceWorker.stopAllWorkers
  // takes the extension pages down with it in this Chromium; stopWorker on our version does not.)
  await panel.evaluate(() => {
    const states: string[] = [];
    (window as unknown as { __states: string[] }).__states = states;
    new MutationObserver(() => states.push(document.querySelector('.conn')?.textContent ?? '')).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const cdp = await context.newCDPSession(panel);
  const versions = new Map<string, { scriptURL: string; runningStatus: string }>();
  const history: string[] = [];
  cdp.on('ServiceWorker.workerVersionUpdated', (event) => {
    for (const version of event.versions) {
      versions.set(version.versionId, version);
      if (version.scriptURL.includes(extensionId)) history.push(version.runningStatus);
    }
  });
  await cdp.send('ServiceWorker.enable');
  await expect.poll(() => [...versions.values()].some((v) => v.scriptURL.includes(extensionId) && v.runningStatus === 'running')).toBe(true);
  const [versionId] = [...versions].find(([, v]) => v.scriptURL.includes(extensionId) && v.runningStatus === 'running')!;
  history.length = 0;
  await cdp.send('ServiceWorker.stopWorker', { versionId });
  await expect.poll(() => history.join(',')).toContain('stopped');
  await expect.poll(() => panel.evaluate(() => (window as unknown as { __states: string[] }).__states.join('|'))).toContain('reconnecting');
  // The panel keeps what it has...
  await expect(panel.locator('.message-row')).toHaveCount(2);
  await expect(panel.locator('.chunk-point')).toHaveCount(CHUNKS);
  // ...reconnects (waking the worker), and continues with new messages.
  await expect(panel.locator('.conn-connected')).toBeVisible();
  // The reconnect woke a fresh worker.
  await expect.poll(() => history.slice(history.indexOf('stopped')).join(',')).toContain('running');
  const third = trace(3, t0 + 4000);
  await emit(page, third.messages);
  await expect(panel.locator(`.message-row[data-trace-id="${third.traceId}"]`)).toContainText('message-3');
  await expect(panel.locator('.message-row')).toHaveCount(3);
  await panel.screenshot({ path: join(imgDir, 'panel-after-worker-restart.png') });

  // A panel opened now gets everything replayed from chrome.storage.session via the new worker.
  const reopened = await context.newPage();
  await reopened.goto(`chrome-extension://${extensionId}/panel.html?tabId=${tabId}`);
  await expect(reopened.locator('.message-row')).toHaveCount(3);
  await reopened.locator(`.message-row[data-trace-id="${third.traceId}"]`).click();
  await expect(reopened.locator('.chunk-point')).toHaveCount(CHUNKS);
  await reopened.close();
  await cdp.detach();
});
