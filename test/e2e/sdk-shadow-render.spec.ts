// Chat widgets built as web components render the answer inside a shadow root, where a
// MutationObserver of the light tree sees nothing. With only the script tag, each chunk's commit
// and paint must still be the widget's own render — open or closed root, attached in the
// custom element's constructor before the element is inserted, or marked data-streamtrace-message.
import { expect, test } from '@playwright/test';
import { messageOf, streamTagged, attr, chunkEvents, gotoPage, scriptTagPage, startNewUserServer, type NewUserServer, type OtlpSpan } from './fixtures/new-user-server.js';

let server: NewUserServer;
test.beforeAll(async () => {
  server = await startNewUserServer();
});
test.afterAll(async () => {
  await server.close();
});

const app = (mode: 'open' | 'closed', marked: boolean): string => `
  class ChatAnswer extends HTMLElement {
    constructor() {
      super();
      const root = this.attachShadow({ mode: '${mode}' });
      this.out = document.createElement('p');
      ${marked ? "this.out.setAttribute('data-streamtrace-message', '');" : ''}
      root.append(this.out);
    }
  }
  customElements.define('chat-answer', ChatAnswer);
  window.go = (tag) => new Promise((resolve) => {
    const widget = document.createElement('chat-answer');
    document.body.append(widget);
    const es = new EventSource('/sse?count=4&delay=60&tag=' + tag);
    es.onmessage = (e) => { const m = JSON.parse(e.data); if (m.type === 'delta') widget.out.append(m.text); else { es.close(); setTimeout(resolve, 150); } };
  });
  // Unrelated light-DOM churn after the answer must not move its first visible chunk or paint.
  window.churn = () => { for (let i = 0; i < 3; i++) setTimeout(() => document.body.append(document.createElement('i')), 100 + i * 50); };`;


for (const [mode, marked] of [['open', false], ['closed', false], ['open', true]] as const) {
  const tag = `${mode}${marked ? '-marked' : ''}`;
  test(`a widget rendering into a ${mode} shadow root${marked ? ' marked data-streamtrace-message' : ''} gets each chunk's commit and paint`, async ({ page }) => {
    const html = scriptTagPage({ endpoint: `${server.base}/v1/traces`, propagateTo: `${server.base}/sse` }, app(mode, marked)).replace(' data-streamtrace-message=""', '');
    server.setPage(`/shadow-${tag}.html`, html);
    await gotoPage(page, server, `${server.base}/shadow-${tag}.html`);
    await page.evaluate((t) => (window as unknown as { go(t: string): Promise<void> }).go(t), tag);
    await page.evaluate(() => (window as unknown as { churn(): void }).churn());
    await page.waitForTimeout(400);
    await page.evaluate(() => (window as unknown as { flush(): Promise<void> }).flush());
    const find = (): OtlpSpan | undefined => streamTagged(server.spans(), 'tag', tag);
    await expect.poll(() => find() !== undefined).toBe(true);
    const stream = find() as OtlpSpan;
    const message = messageOf(server.spans(), stream) as OtlpSpan;
    const list = chunkEvents(stream);
    const deltas = list.filter((c) => c.index < 4);
    expect(deltas).toHaveLength(4);
    for (const c of deltas) {
      expect(c.commit, `chunk ${c.index} commit`).toBeDefined();
      expect(c.paint, `chunk ${c.index} paint`).toBeDefined();
      expect(c.commit as number).toBeGreaterThanOrEqual(c.arrival);
      // Rendered inside the listener: committed in the arrival's task, painted within a few frames.
      expect(c.paint as number).toBeGreaterThanOrEqual(c.commit as number);
      expect(c.paint as number).toBeLessThan(c.arrival + 100);
    }
    expect(attr(stream, 'streamtrace.chunk.first_visible_index')).toBe(0);
    expect(attr(stream, 'streamtrace.chunk.first_paint_ms')).toBe(deltas[0]?.paint);
    expect(Number(attr(message, 'streamtrace.ttft_visible_ms'))).toBeLessThan(Number(attr(message, 'streamtrace.ttft_ms')) + 100);
  });
}
