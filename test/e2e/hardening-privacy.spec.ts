// Privacy defaults: no prompt/answer text, URL secrets or Authorization header in exported spans.
import { expect, test, type Page } from '@playwright/test';
import { attr, sdkPage, startApp, startCollector } from './hardening-harness.js';

type Win = { st: { flush(): Promise<void> }; runFetch(): Promise<number>; runEventSource(): Promise<number>; runWebSocket(): Promise<number> };

let app: Awaited<ReturnType<typeof startApp>>;
let collector: Awaited<ReturnType<typeof startCollector>>;
test.beforeEach(async () => {
  app = await startApp();
  collector = await startCollector();
});
test.afterEach(async () => {
  await app.close();
  await collector.close();
});

async function streamAll(page: Page, options: Record<string, unknown>, extraHead = ''): Promise<string> {
  app.setPage('/p.html', sdkPage({ endpoint: collector.url, propagateTo: [app.base], pageHealth: false, ...options }, extraHead));
  await page.goto(`${app.base}/p.html`);
  const counts = await page.evaluate(async () => {
    const w = window as unknown as Win;
    const out = [await w.runFetch(), await w.runEventSource(), await w.runWebSocket()];
    await w.st.flush();
    return out;
  });
  expect(counts).toEqual([5, 5, 5]);
  await expect.poll(() => collector.spans().filter((s) => s.name === 'chat.stream').length).toBe(3);
  return collector.posts.map((p) => p.raw).join('\n');
}

const SECRETS = /PROMPT-SECRET|ANSWER-SECRET|URL-SECRET|AUTH-SECRET/g;

test('captureContent false (default): no prompt, answer, URL secret or Authorization value on any transport', async ({ page }) => {
  const exported = await streamAll(page, {});
  expect(exported.match(SECRETS)).toBeNull();
  // The app really sent them: the prompt in the POST body, the WebSocket frame and the EventSource URL.
  expect(app.requests.find((r) => r.path === '/chat')?.body).toContain('PROMPT-SECRET-fetch');
  expect(app.requests.find((r) => r.path === '/chat')?.headers.authorization).toBe('Bearer AUTH-SECRET-TOKEN');
  expect(app.requests.find((r) => r.path === '/ws#frame')?.body).toContain('PROMPT-SECRET-ws');
  expect(app.requests.find((r) => r.path === '/sse')?.query.get('message')).toBe('PROMPT-SECRET-es');
  const es = collector.spans().find((s) => attr(s, 'streamtrace.stream.transport') === 'eventsource')!;
  expect(attr(es, 'url.full')).toBe(`${app.base}/sse?count=5&delay=20&message=REDACTED&api_key=REDACTED&token=REDACTED`);
  const ws = collector.spans().find((s) => attr(s, 'streamtrace.stream.transport') === 'websocket')!;
  expect(attr(ws, 'url.full')).toBe(`${app.base.replace('http', 'ws')}/ws?count=5&access_token=REDACTED&sig=REDACTED`);
});

test('captureContent true puts the answer on spans (the search above can find it), URL secrets still redacted', async ({ page }) => {
  const exported = await streamAll(page, { captureContent: true });
  expect(exported).toContain('ANSWER-SECRET-4');
  expect(exported.match(/URL-SECRET|AUTH-SECRET/g)).toBeNull();
});

test('redactAttribute edits and removes attributes of spans and span events before export', async ({ page }) => {
  app.setPage('/r.html', sdkPage(null) + `<script>
    window.st = Streamtrace.init({ endpoint: ${JSON.stringify(collector.url)}, propagateTo: [${JSON.stringify(app.base)}], pageHealth: false,
      redactAttribute(key, value, span) {
        if (key === 'url.full') return span.name + ':' + new URL(value).pathname;
        if (key === 'streamtrace.chunk.bytes' || key === 'http.request.method') return undefined;
        if (key === 'boom') throw new Error('hook bug');
        return value;
      } });
  </script>`);
  await page.goto(`${app.base}/r.html`);
  expect(await page.evaluate(async () => {
    const w = window as unknown as Win;
    const n = await w.runFetch();
    await w.st.flush();
    return n;
  })).toBe(5);
  await expect.poll(() => collector.spans().filter((s) => s.name === 'chat.stream').length).toBe(1);
  const stream = collector.spans().find((s) => s.name === 'chat.stream')!;
  expect(attr(stream, 'url.full')).toBe('chat.stream:/chat');
  expect(attr(stream, 'http.request.method')).toBeUndefined();
  const chunks = (stream.events ?? []).filter((e) => e.name === 'chunk');
  expect(chunks.length).toBeGreaterThan(0);
  expect(chunks.every((e) => attr(e, 'streamtrace.chunk.bytes') === undefined && attr(e, 'streamtrace.chunk.index') !== undefined)).toBe(true);
});
