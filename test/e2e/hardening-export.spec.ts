// Exporter faults never break the page, lose nothing that can be resent, and bound memory.
import { expect, test, type Page } from '@playwright/test';
import { attr, isBrowserNetworkLog, sdkPage, startApp, startCollector, watchPage, type OtlpSpan } from './hardening-harness.js';

type Stats = { spansExported: number; spansDropped: number; spansPending: number; exportFailures: number; exportRetries: number };
type Win = { st: { flush(): Promise<void>; stats(): Stats; startMessage(o: object): { end(): void } }; runFetch(): Promise<number>; runEventSource(): Promise<number>; runWebSocket(): Promise<number> };

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

const open = async (page: Page, options: Record<string, unknown> = {}): Promise<void> => {
  app.setPage('/page.html', sdkPage({ serviceName: 'hardening', endpoint: collector.url, propagateTo: [app.base], pageHealth: false, scheduledDelayMillis: 200, ...options }));
  await page.goto(`${app.base}/page.html`);
};
const runStreams = (page: Page): Promise<number[]> =>
  page.evaluate(async () => {
    const w = window as unknown as Win;
    return [await w.runFetch(), await w.runEventSource(), await w.runWebSocket()];
  });
const stats = (page: Page): Promise<Stats> => page.evaluate(() => (window as unknown as Win).st.stats());
const flush = (page: Page): Promise<void> => page.evaluate(() => (window as unknown as Win).st.flush());
const named = (name: string): OtlpSpan[] => collector.spans().filter((s) => s.name === name);

/** Every stream delivered, no page errors, and every span exactly once at the collector. */
async function expectHealthyAndDelivered(page: Page, watch: ReturnType<typeof watchPage>, streams = 3): Promise<void> {
  await expect.poll(() => named('chat.stream').length, { timeout: 45_000 }).toBe(streams);
  expect(named('chat.message')).toHaveLength(streams);
  const ids = collector.spans().map((s) => s.spanId);
  expect(new Set(ids).size).toBe(ids.length);
  expect(named('chat.stream').map((s) => attr(s, 'streamtrace.stream.outcome'))).toEqual(Array(streams).fill('complete'));
  expect(watch.pageErrors).toEqual([]);
  expect(await watch.rejections()).toEqual([]);
  expect(watch.consoleErrors.filter((t) => !isBrowserNetworkLog(t))).toEqual([]);
  const s = await stats(page);
  expect(s.spansPending).toBe(0);
}

test('collector down (every connection dropped) for longer than one export window: spans kept and sent once it is back', async ({ page }) => {
  test.setTimeout(90_000);
  const watch = watchPage(page);
  await collector.stop();
  await open(page);
  expect(await runStreams(page)).toEqual([5, 5, 5]);
  await flush(page); // resolves although nothing can be sent
  await page.waitForTimeout(12_000); // past the OTLP exporter's own 10 s retry window
  const during = await stats(page);
  expect(during.exportFailures).toBeGreaterThanOrEqual(2);
  expect(during.spansPending).toBeGreaterThanOrEqual(6);
  expect(during.spansExported).toBe(0);
  await collector.start();
  await expectHealthyAndDelivered(page, watch);
  const after = await stats(page);
  expect(after.exportRetries).toBeGreaterThanOrEqual(1);
  expect(after.spansDropped).toBe(0);
});

test('429 with Retry-After: the retry waits as told, then delivers without duplicates', async ({ page }) => {
  test.setTimeout(60_000);
  const watch = watchPage(page);
  collector.mode = { kind: 'status', status: 429, retryAfter: '3' };
  await open(page);
  expect(await runStreams(page)).toEqual([5, 5, 5]);
  await expect.poll(() => collector.posts.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
  collector.mode = { kind: 'ok' };
  const [first, second] = collector.posts;
  expect(second!.at - first!.at).toBeGreaterThanOrEqual(2_900);
  await expectHealthyAndDelivered(page, watch);
  expect((await stats(page)).exportFailures).toBeGreaterThanOrEqual(2);
});

test('500: the refused batch is dropped and counted, never resent; later spans still arrive', async ({ page }) => {
  const watch = watchPage(page);
  collector.mode = { kind: 'status', status: 500 };
  await open(page);
  expect(await runStreams(page)).toEqual([5, 5, 5]);
  await flush(page);
  const during = await stats(page);
  expect(during.spansDropped).toBeGreaterThanOrEqual(6);
  expect(during.exportFailures).toBeGreaterThanOrEqual(1);
  const refused = new Set(collector.posts.flatMap((p) => p.spans.map((s) => s.spanId)));
  collector.mode = { kind: 'ok' };
  expect(await page.evaluate(() => (window as unknown as Win).runFetch())).toBe(5);
  await flush(page);
  await expect.poll(() => named('chat.stream').length).toBe(1);
  expect(collector.spans().filter((s) => refused.has(s.spanId))).toEqual([]);
  expect((await stats(page)).exportRetries).toBe(0);
  expect(watch.pageErrors).toEqual([]);
  expect(await watch.rejections()).toEqual([]);
  expect(watch.consoleErrors.filter((t) => !isBrowserNetworkLog(t))).toEqual([]);
});

test('slow collector (10 s answers): streams are not held up and every span arrives once', async ({ page }) => {
  test.setTimeout(90_000);
  const watch = watchPage(page);
  collector.mode = { kind: 'slow', delayMs: 10_000 };
  await open(page);
  expect(await runStreams(page)).toEqual([5, 5, 5]);
  // The page keeps working while an export hangs: another stream completes meanwhile.
  expect(await page.evaluate(() => (window as unknown as Win).runWebSocket())).toBe(5);
  await expectHealthyAndDelivered(page, watch, 4);
  expect((await stats(page)).exportFailures).toBe(0);
});

test('CORS refusal: nothing reaches the collector, nothing breaks; spans arrive once CORS is allowed', async ({ page }) => {
  test.setTimeout(60_000);
  const watch = watchPage(page);
  collector.mode = { kind: 'no-cors' };
  await open(page);
  expect(await runStreams(page)).toEqual([5, 5, 5]);
  await flush(page);
  expect((await stats(page)).exportFailures).toBeGreaterThanOrEqual(1);
  expect(collector.posts).toEqual([]); // the preflight failed: the POST was never sent
  collector.mode = { kind: 'ok' };
  await expectHealthyAndDelivered(page, watch);
  // Chromium itself logs the refusal; no script can suppress that line.
  expect(watch.consoleErrors.some((t) => /blocked by CORS policy/.test(t))).toBe(true);
});

test('compression gzip: exports go gzip-compressed, every span arrives once, far fewer bytes on the wire', async ({ page }) => {
  test.setTimeout(60_000);
  const watch = watchPage(page);
  const wire: number[] = [];
  page.on('request', (request) => {
    if (request.url() === collector.url && request.method() === 'POST') wire.push(request.postDataBuffer()?.byteLength ?? 0);
  });
  await open(page, { compression: 'gzip', maxChunkEvents: 100 });
  expect(await page.evaluate(async () => (window as unknown as Win & { runFetch(n: number, d: number): Promise<number> }).runFetch(300, 1))).toBe(300);
  await flush(page);
  await expect.poll(() => named('chat.stream').length, { timeout: 30_000 }).toBe(1);
  expect(collector.posts.length).toBeGreaterThan(0);
  expect(collector.posts.map((p) => p.encoding)).toEqual(collector.posts.map(() => 'gzip'));
  const raw = collector.posts.reduce((sum, p) => sum + Buffer.byteLength(p.raw), 0);
  const sent = wire.reduce((sum, n) => sum + n, 0);
  expect(sent * 5).toBeLessThan(raw);
  expect(Number(attr(named('chat.stream')[0]!, 'streamtrace.stream.chunks'))).toBe(301);
  expect(watch.pageErrors).toEqual([]);
  expect(await watch.rejections()).toEqual([]);
  expect(watch.consoleErrors.filter((t) => !isBrowserNetworkLog(t))).toEqual([]);
});

test('compression gzip against a collector whose CORS does not allow Content-Encoding: sent uncompressed instead, nothing lost', async ({ page }) => {
  test.setTimeout(60_000);
  const watch = watchPage(page);
  collector.mode = { kind: 'cors-without-encoding' };
  await open(page, { compression: 'gzip' });
  expect(await runStreams(page)).toEqual([5, 5, 5]);
  await flush(page);
  await expectHealthyAndDelivered(page, watch);
  expect(collector.posts.length).toBeGreaterThan(0);
  expect(collector.posts.every((p) => p.encoding === undefined)).toBe(true);
  expect((await stats(page)).spansDropped).toBe(0);
  // The refused preflight is Chromium's one console line; later exports no longer try gzip.
  expect(watch.consoleErrors.filter((t) => /blocked by CORS policy/.test(t))).toHaveLength(1);
});

test('offline then back online: the online event sends what was kept', async ({ page, context }) => {
  test.setTimeout(60_000);
  const watch = watchPage(page);
  await open(page, { scheduledDelayMillis: 60_000 });
  expect(await runStreams(page)).toEqual([5, 5, 5]);
  await context.setOffline(true);
  await flush(page);
  const during = await stats(page);
  expect(during.exportFailures).toBeGreaterThanOrEqual(1);
  expect(during.spansPending).toBeGreaterThanOrEqual(6);
  expect(collector.posts).toEqual([]);
  await context.setOffline(false);
  await expectHealthyAndDelivered(page, watch);
});

test('memory is bounded: beyond maxQueueSize the oldest spans are dropped and counted', async ({ page }) => {
  const watch = watchPage(page);
  await collector.stop();
  await open(page, { maxQueueSize: 20 });
  await page.evaluate(() => {
    for (let i = 0; i < 50; i++) (window as unknown as Win).st.startMessage({ conversationId: `c${i}` }).end();
  });
  await flush(page);
  expect(await stats(page)).toMatchObject({ spansPending: 20, spansDropped: 30, spansExported: 0 });
  await collector.start();
  await expect.poll(() => named('chat.message').length, { timeout: 30_000 }).toBe(20);
  const kept = named('chat.message').map((s) => attr(s, 'gen_ai.conversation.id')).sort();
  expect(kept).toEqual(Array.from({ length: 20 }, (_, i) => `c${i + 30}`).sort());
  expect(watch.pageErrors).toEqual([]);
  expect(await watch.rejections()).toEqual([]);
});

test('closing the page mid-stream still delivers the message and stream spans, ended as cancel', async ({ page }) => {
  await open(page, { scheduledDelayMillis: 60_000 });
  void page.evaluate(() => (window as unknown as { runFetch(c: number, d: number): Promise<number> }).runFetch(200, 50)).catch(() => undefined);
  await expect.poll(() => app.requests.some((r) => r.path === '/chat')).toBe(true);
  await page.waitForTimeout(500);
  expect(collector.posts).toEqual([]);
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => named('chat.message').length, { timeout: 15_000 }).toBe(1);
  expect(attr(named('chat.message')[0]!, 'streamtrace.message.outcome')).toBe('cancel');
  expect(named('chat.stream').map((s) => attr(s, 'streamtrace.stream.outcome'))).toEqual(['cancel']);
});

test('navigating to another page mid-stream: streams end as cancel (pagehide), not error, also when the app fails its message on the network error', async ({ page }) => {
  await open(page, { scheduledDelayMillis: 60_000 });
  app.setPage('/next.html', '<!doctype html><title>next</title><p>next page</p>');
  void page.evaluate(() => {
    type Fail = { startMessage(o: object): { fail(e: unknown): void } };
    const w = window as unknown as { st: Fail; runFetch(c: number, d: number): Promise<number>; runEventSource(c: number, d: number): Promise<number>; runWebSocket(c: number): Promise<number> };
    // An app that starts its own message and fails it when its stream breaks.
    const message = w.st.startMessage({ conversationId: 'app-message' });
    const own = fetch('/chat?count=400&delay=50', { method: 'POST', body: '{}' }).then((r) => r.text()).catch((error: unknown) => message.fail(error));
    // An app that closes its EventSource on error (so it does not reconnect), as most do.
    const closing = new EventSource('/sse?count=400&delay=50');
    closing.onerror = () => closing.close();
    return Promise.all([own, w.runFetch(400, 50), w.runEventSource(400, 50), w.runWebSocket(2_000)]);
  }).catch(() => undefined);
  await expect.poll(() => app.requests.filter((r) => r.path === '/sse').length === 2 && app.requests.some((r) => r.path === '/ws#frame') && app.requests.filter((r) => r.path === '/chat').length === 2).toBe(true);
  await page.waitForTimeout(500);
  await page.goto(`${app.base}/next.html`);
  await expect.poll(() => named('chat.stream').length, { timeout: 15_000 }).toBe(5);
  expect(named('chat.stream').map((s) => [attr(s, 'streamtrace.stream.outcome'), s.status?.code ?? 0])).toEqual(Array(5).fill(['cancel', 0]));
  // All five streams joined the app's message (the current one).
  await expect.poll(() => named('chat.message').length).toBe(1);
  expect(named('chat.message').map((s) => [attr(s, 'gen_ai.conversation.id'), attr(s, 'streamtrace.message.outcome'), s.status?.code ?? 0])).toEqual([['app-message', 'cancel', 0]]);
});

test('a collector the page’s CSP (connect-src) refuses: one refusal in the console, then spans are dropped and counted, never retried', async ({ page }) => {
  test.setTimeout(60_000);
  const watch = watchPage(page);
  const options = { serviceName: 'hardening', endpoint: collector.url, propagateTo: [app.base], pageHealth: false, scheduledDelayMillis: 200 };
  app.setPage('/page.html', sdkPage(options, `<meta http-equiv="Content-Security-Policy" content="connect-src 'self'">`));
  await page.goto(`${app.base}/page.html`);
  // Chromium's line per refused request (it adds "Fetch API cannot load …" to each).
  const cspErrors = (): string[] => watch.consoleErrors.filter((t) => /violates the following Content Security Policy directive/.test(t));
  expect(await page.evaluate(() => (window as unknown as Win).runFetch())).toBe(5);
  await flush(page);
  await expect.poll(() => cspErrors().length).toBe(1);
  await expect.poll(() => stats(page), { timeout: 20_000 }).toMatchObject({ spansPending: 0, spansExported: 0 });
  // The page's own requests still work; later exports make no request at all.
  expect(await page.evaluate(() => (window as unknown as Win).runFetch())).toBe(5);
  await flush(page);
  await page.waitForTimeout(4_000);
  const after = await stats(page);
  expect(after).toMatchObject({ spansPending: 0, spansExported: 0 });
  expect(after.spansDropped).toBeGreaterThanOrEqual(4);
  expect(cspErrors()).toHaveLength(1);
  expect(collector.posts).toEqual([]);
  expect(watch.pageErrors).toEqual([]);
  expect(await watch.rejections()).toEqual([]);
});
