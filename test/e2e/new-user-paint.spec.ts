// Chromium's own paint timing as the truth for a plain page: the page is empty until the app
// appends the first token, so Chromium's first-contentful-paint (a presentation time) is when that
// token reached the screen. With only the script tag, the SDK's paint time for that chunk must
// not be after it (a stream's first frame follows idle and is never a sample of the presentation
// offset, and nothing was learnt before it on a fresh page: its estimate is the frame's commit,
// README, a lower bound), not before the chunk arrived or was
// committed, and not implausibly early (more than a few frames before the screen).
import { expect, test } from '@playwright/test';
import { streamTagged, attr, gotoPage, scriptTagPage, startNewUserServer, type NewUserServer, type OtlpSpan } from './fixtures/new-user-server.js';

let server: NewUserServer;
test.beforeAll(async () => {
  server = await startNewUserServer();
});
test.afterAll(async () => {
  await server.close();
});

const app = `
  window.fcp = new Promise((resolve) => new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') resolve(performance.timeOrigin + e.startTime);
  }).observe({ type: 'paint', buffered: true }));
  const show = (text) => { const s = document.createElement('span'); s.textContent = text; document.getElementById('answer').append(s); };
  window.streams = {
    eventsource: () => new Promise((resolve) => {
      const es = new EventSource('/sse?count=6&delay=40&p=eventsource');
      es.onmessage = (e) => { const m = JSON.parse(e.data); if (m.type === 'delta') show(m.text); else { es.close(); resolve(); } };
    }),
    fetch: async () => {
      const reader = (await fetch('/sse?count=6&delay=40&p=fetch')).body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) { const { done, value } = await reader.read(); if (done) return; for (const m of value.matchAll(/"text":"([^"]*)"/g)) show(m[1]); }
    },
    websocket: () => new Promise((resolve) => {
      const ws = new WebSocket(location.origin.replace('http', 'ws') + '/ws?p=websocket');
      ws.onopen = () => ws.send('first token');
      ws.onmessage = (e) => { show(e.data); ws.close(1000); };
      ws.onclose = () => resolve();
    }),
  };`;

for (const transport of ['eventsource', 'fetch', 'websocket']) {
  test(`${transport}: the SDK's paint of the first token is at or before Chromium's first-contentful-paint of it`, async ({ page }) => {
    server.setPage('/paint.html', scriptTagPage({ endpoint: `${server.base}/v1/traces`, propagateTo: `${server.base}/` }, app));
    await gotoPage(page, server, `${server.base}/paint.html`);
    await page.evaluate((t) => (window as unknown as { streams: Record<string, () => Promise<void>> }).streams[t]!(), transport);
    const fcp = await page.evaluate(() => (window as unknown as { fcp: Promise<number> }).fcp);
    await page.evaluate(() => (window as unknown as { flush(): Promise<void> }).flush());
    const find = (): OtlpSpan | undefined => streamTagged(server.spans(), 'p', transport);
    await expect.poll(() => find() !== undefined).toBe(true);
    const stream = find() as OtlpSpan & { startTimeUnixNano: string };
    const start = Number(BigInt(stream.startTimeUnixNano) / 1000n) / 1000; // epoch ms
    const visible = (stream.events ?? []).find((e) => e.name === 'chunk' && attr(e, 'streamtrace.chunk.index') === attr(stream, 'streamtrace.chunk.first_visible_index'));
    expect(visible, 'the first visible chunk has a chunk event').toBeDefined();
    const arrival = start + Number(attr(visible, 'streamtrace.chunk.arrival_ms'));
    const commit = start + Number(attr(visible, 'streamtrace.chunk.commit_ms'));
    const paint = start + Number(attr(visible, 'streamtrace.chunk.paint_ms'));
    expect(Number(attr(stream, 'streamtrace.chunk.first_paint_ms'))).toBe(Number(attr(visible, 'streamtrace.chunk.paint_ms')));
    // Order: arrival ≤ commit ≤ SDK paint ≤ Chromium's presentation (1 ms for rounding).
    expect(commit).toBeGreaterThanOrEqual(arrival);
    expect(paint).toBeGreaterThanOrEqual(commit);
    expect(paint).toBeLessThanOrEqual(fcp + 1);
    expect(fcp).toBeGreaterThan(arrival);
    // Not implausibly early: within a few frames of the screen (seen: 4–15 ms before it).
    expect(fcp - paint).toBeLessThan(100);
  });
}

// The SDK learns Chromium's commit → presentation time from Element Timing entries of a probe of its
// own (README, "How close that is to the screen"). What an app's whole-document MutationObserver (a
// session-replay recorder) sees of it: one clipped, aria-hidden element outside <body>, that takes no
// clicks, is not selected by a select-all, moves nothing and is gone when the stream is.
test('the paint probe is invisible, inert, outside <body>, and gone after the stream', async ({ page }) => {
  const recorder = `
    window.seen = [];
    new MutationObserver((records) => {
      for (const r of records) for (const node of r.addedNodes) {
        if (node.nodeType !== 1) continue;
        const box = node.getBoundingClientRect();
        const probeAt = document.elementFromPoint(box.left + 1, box.top + 1);
        getSelection().selectAllChildren(document.documentElement);
        const selected = getSelection().toString();
        getSelection().removeAllRanges();
        window.seen.push({ html: node.outerHTML, parent: r.target.nodeName, hit: probeAt === node, clip: getComputedStyle(node).clipPath, scroll: document.documentElement.scrollHeight, selected, bodyText: document.body.innerText });
      }
    }).observe(document.documentElement, { childList: true });
    window.textStream = () => new Promise((resolve) => {
      const answer = document.getElementById('answer');
      const es = new EventSource('/sse?count=60&delay=15&p=probe');
      es.onmessage = (e) => { const m = JSON.parse(e.data); if (m.type === 'delta') answer.append(m.text); else { es.close(); resolve(); } };
    });`;
  server.setPage('/probe.html', scriptTagPage({ endpoint: `${server.base}/v1/traces`, propagateTo: `${server.base}/` }, recorder));
  await gotoPage(page, server, `${server.base}/probe.html`);
  const scrollBefore = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.evaluate(() => (window as unknown as { textStream(): Promise<void> }).textStream());
  const seen = await page.evaluate(() => (window as unknown as { seen: { html: string; parent: string; hit: boolean; clip: string; scroll: number; selected: string; bodyText: string }[] }).seen);
  expect(seen.length, 'probes put on the page during a 60-chunk stream').toBeGreaterThan(0);
  for (const probe of seen) {
    expect(probe.html).toMatch(/^<streamtrace [^>]*>\.<\/streamtrace>$/);
    expect(probe.html).toContain('elementtiming="streamtrace"');
    expect(probe.html).toContain('aria-hidden="true"');
    expect(probe.parent).toBe('HTML');
    expect(probe.clip).toBe('inset(50%)');
    expect(probe.hit, 'a click where the probe is reaches the page').toBe(false);
    expect(probe.scroll).toBe(scrollBefore);
    // Select-all copies the page's text and nothing of the probe (an unselectable probe adds not even a line break).
    expect(probe.selected).toBe(probe.bodyText);
  }
  // Gone once its entry came (the stream's end takes the last one off too).
  await expect.poll(() => page.evaluate(() => document.querySelectorAll('streamtrace, [elementtiming]').length), { timeout: 2000 }).toBe(0);
  expect(await page.evaluate(() => document.body.querySelector('streamtrace'))).toBeNull();
  expect(await page.evaluate(() => (window as unknown as { pageErrors: string[] }).pageErrors)).toEqual([]);
});
