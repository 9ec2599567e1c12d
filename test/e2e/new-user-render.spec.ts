// How apps put tokens on screen varies: straight DOM appends, updating one text node's data,
// rendering in the next animation frame, or later in a timer (batched frameworks). With only the
// script tag (no render target, no data-streamtrace-message), each chunk's DOM commit must be
// the app's real commit — never before the chunk arrived, never before the app rendered — and
// its paint must follow its commit.
import { expect, test } from '@playwright/test';
import { messageOf, streamTagged, attr, chunkEvents, gotoPage, scriptTagPage, startNewUserServer, type NewUserServer, type ChunkEvent, type OtlpSpan } from './fixtures/new-user-server.js';

let server: NewUserServer;
test.beforeAll(async () => {
  server = await startNewUserServer();
});
test.afterAll(async () => {
  await server.close();
});

const DEFER_MS = 40;
const app = `
  const answer = document.createElement('div'); document.body.append(answer);
  const text = document.createTextNode(''); answer.append(text);
  const renderers = {
    append: (t) => answer.append(t),
    textData: (t) => { text.data += t; },
    nextFrame: (t) => requestAnimationFrame(() => answer.append(t)),
    timer: (t) => setTimeout(() => answer.append(t), ${DEFER_MS}),
  };
  window.go = (how) => new Promise((resolve) => {
    const es = new EventSource('/sse?count=4&delay=60&how=' + how);
    es.onmessage = (e) => { const m = JSON.parse(e.data); if (m.type === 'delta') renderers[how](m.text); else { es.close(); setTimeout(resolve, ${DEFER_MS * 3}); } };
  });`;


for (const how of ['append', 'textData', 'nextFrame', 'timer']) {
  test(`render by ${how}: commit and paint follow the app's own DOM change`, async ({ page }) => {
    server.setPage('/render.html', scriptTagPage({ endpoint: `${server.base}/v1/traces`, propagateTo: `${server.base}/sse` }, app).replace(' data-streamtrace-message=""', ''));
    await gotoPage(page, server, `${server.base}/render.html`);
    await page.evaluate((h) => (window as unknown as { go(h: string): Promise<void> }).go(h), how);
    await page.evaluate(() => (window as unknown as { flush(): Promise<void> }).flush());
    const find = (): OtlpSpan | undefined => streamTagged(server.spans(), 'how', how);
    await expect.poll(() => find() !== undefined).toBe(true);
    const stream = find() as OtlpSpan;
    const message = messageOf(server.spans(), stream) as OtlpSpan;
    const list = chunkEvents(stream);
    const deltas = list.filter((c) => c.index < 4);
    expect(deltas).toHaveLength(4);
    for (const c of deltas) {
      expect(c.commit, `${how} chunk ${c.index} commit`).toBeDefined();
      expect(c.paint, `${how} chunk ${c.index} paint`).toBeDefined();
      expect(c.commit as number).toBeGreaterThanOrEqual(c.arrival);
      expect(c.paint as number).toBeGreaterThanOrEqual(c.commit as number);
    }
    const sync = how === 'append' || how === 'textData';
    if (sync) {
      // Rendered inside the listener: the done event (which changes no DOM) gets no commit.
      expect(list.find((c) => c.index === 4)?.commit).toBeUndefined();
      expect(attr(stream, 'streamtrace.chunk.first_visible_index')).toBe(0);
    } else {
      // A deferred render is credited to the latest chunk that arrived before it (under load
      // that may be a later one), never to the data-less done event as the first visible one.
      expect([0, 1, 2, 3]).toContain(attr(stream, 'streamtrace.chunk.first_visible_index'));
    }
    const first = deltas[0] as ChunkEvent;
    const firstCommit = Math.min(...list.filter((c) => c.commit !== undefined).map((c) => c.commit as number));
    if (how === 'timer') {
      // The app rendered DEFER_MS after the first arrival: that delay is in the render part, not hidden.
      expect(firstCommit).toBeGreaterThanOrEqual(first.arrival + DEFER_MS - 1);
    }
    const visible = list.find((c) => c.index === attr(stream, 'streamtrace.chunk.first_visible_index')) as ChunkEvent;
    expect(visible.commit).toBe(firstCommit);
    expect(attr(stream, 'streamtrace.chunk.first_paint_ms')).toBe(visible.paint);
    expect(Number(attr(message, 'streamtrace.ttft_visible_ms'))).toBeGreaterThanOrEqual(visible.paint as number);
  });
}
