// The session record lives in storage every script of the origin can write. A planted id that
// could not be the SDK's own must not reach the app's requests: a new session starts instead.
import { expect, test } from '@playwright/test';
import { gotoPage, scriptTagPage, startNewUserServer, type NewUserServer } from './fixtures/new-user-server.js';

let server: NewUserServer;
test.beforeAll(async () => {
  server = await startNewUserServer();
});
test.afterAll(async () => {
  await server.close();
});

for (const [name, planted] of [['100 KB', 'h'.repeat(100_000)], ['CRLF', 'abc\r\nx-evil: 1'], ['emoji', 'sess\u{1F642}']] as const) {
  test(`a planted ${name} session id: fetch, EventSource and XHR work as natively and carry a fresh session`, async ({ page }) => {
    const app = `
      window.go = async () => {
        const res = await fetch('/sse?count=2&delay=5&planted=fetch');
        const text = await res.text();
        const es = await new Promise((resolve) => {
          const s = new EventSource('/sse?count=2&delay=5&planted=es');
          s.onmessage = (e) => { if (JSON.parse(e.data).type === 'done') { s.close(); resolve('done'); } };
          s.onerror = () => { s.close(); resolve('error'); };
        });
        const xhr = new XMLHttpRequest(); xhr.open('GET', '/sse?count=2&delay=5&planted=xhr', false); xhr.send();
        return [res.status, text.includes('"done"'), es, xhr.status];
      };`;
    const html = scriptTagPage({ endpoint: `${server.base}/v1/traces`, propagateTo: `${server.base}/sse` }, app).replace(
      '<script src="/dist/',
      `<script>sessionStorage.setItem('streamtrace.session', JSON.stringify({ id: ${JSON.stringify(planted)}, startedAt: Date.now(), lastActivity: Date.now() }));</script><script src="/dist/`,
    );
    server.setPage(`/planted-${name.replace(' ', '')}.html`, html);
    await gotoPage(page, server, `${server.base}/planted-${name.replace(' ', '')}.html`);
    expect(await page.evaluate(() => (window as unknown as { go(): Promise<unknown[]> }).go())).toEqual([200, true, 'done', 200]);
    const seen = server.requests.filter((r) => r.query.has('planted')).slice(-3);
    expect(seen.map((r) => r.query.get('planted'))).toEqual(['fetch', 'es', 'xhr']);
    const sessionIds = seen.map((r) => r.headers['x-session-id'] ?? r.query.get('session_id'));
    expect(sessionIds.every((id) => typeof id === 'string' && /^[\da-f]{32}$/.test(id))).toBe(true);
    expect(new Set(sessionIds).size).toBe(1);
    for (const r of seen) expect(r.headers.traceparent ?? r.query.get('traceparent')).toMatch(/^00-[\da-f]{32}-[\da-f]{16}-0[01]$/);
  });
}
