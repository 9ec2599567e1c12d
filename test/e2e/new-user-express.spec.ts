// Both READMEs followed by a new user: a page with only the SDK's script tag, and an Express
// backend set up as server/README.md shows (fixtures/new-user-express-app.mjs, a real process with
// OpenTelemetry + instrumentation-http). A fetch POST (context in headers, CORS preflight) and an
// EventSource (context in the query) must each be one trace: browser chat.message → chat.stream →
// Express HTTP server span → `stream sse`, with the browser's session and message ids.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { attr, gotoPage, scriptTagPage, startNewUserServer, type NewUserServer, type OtlpSpan } from './fixtures/new-user-server.js';

let pages: NewUserServer;
let backend: ChildProcess;
let api = '';

test.beforeAll(async () => {
  pages = await startNewUserServer();
  backend = spawn(process.execPath, [fileURLToPath(new URL('./fixtures/new-user-express-app.mjs', import.meta.url)), `${pages.base}/v1/traces`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: backend.stdout as NodeJS.ReadableStream });
  api = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the Express app printed no READY line in 20 s')), 20_000);
    lines.on('line', (line) => {
      const url = /^READY new-user-express (\S+)$/.exec(line)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    backend.once('exit', (code) => reject(new Error(`the Express app exited (${code})`)));
  });
});
test.afterAll(async () => {
  if (backend.exitCode === null) {
    backend.kill('SIGTERM');
    await once(backend, 'exit');
  }
  await pages.close();
});

const app = (api: string): string => `
  window.chat = {
    fetch: async () => {
      const res = await fetch('${api}/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":"hi"}' });
      const text = await res.text();
      return text.split('\\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)).type);
    },
    eventsource: () => new Promise((resolve) => {
      const types = [];
      const es = new EventSource('${api}/api/chat/stream?message=hi');
      es.onmessage = (e) => { const m = JSON.parse(e.data); types.push(m.type); document.getElementById('answer').append(m.text ?? ''); if (m.type === 'done') { es.close(); resolve(types); } };
    }),
  };`;

test('script-tag page + Express per the READMEs: fetch and EventSource each make one browser-to-stream trace', async ({ page }) => {
  pages.setPage('/express.html', scriptTagPage({ endpoint: `${pages.base}/v1/traces`, propagateTo: api, serviceName: 'new-user-page' }, app(api)));
  await gotoPage(page, pages, `${pages.base}/express.html`);
  for (const transport of ['fetch', 'eventsource']) {
    const types = await page.evaluate((t) => (window as unknown as { chat: Record<string, () => Promise<string[]>> }).chat[t]!(), transport);
    expect(types, transport).toEqual(['start', 'delta', 'delta', 'delta', 'delta', 'delta', 'done']);
  }
  expect(await page.evaluate(() => (window as unknown as { pageErrors: string[] }).pageErrors)).toEqual([]);
  await page.evaluate(() => (window as unknown as { flush(): Promise<void> }).flush());

  const spans = (): OtlpSpan[] => pages.spans();
  await expect.poll(() => spans().filter((s) => s.name === 'stream sse').length).toBe(2);
  await expect.poll(() => spans().filter((s) => s.name === 'chat.stream').length).toBe(2);
  for (const transport of ['fetch', 'eventsource']) {
    const stream = spans().find((s) => s.name === 'chat.stream' && attr(s, 'streamtrace.stream.transport') === transport) as OtlpSpan;
    const message = spans().find((s) => s.spanId === stream.parentSpanId) as OtlpSpan;
    expect(message.name).toBe('chat.message');
    const entry = spans().find((s) => s.parentSpanId === stream.spanId);
    expect(entry, `${transport}: Express HTTP server span under chat.stream`).toBeDefined();
    expect(entry?.traceId).toBe(stream.traceId);
    expect(attr(entry, 'http.request.method') ?? attr(entry, 'http.method')).toBe(transport === 'fetch' ? 'POST' : 'GET');
    expect(attr(entry, 'session.id')).toBe(attr(message, 'session.id'));
    const sse = spans().find((s) => s.name === 'stream sse' && s.parentSpanId === entry?.spanId) as OtlpSpan;
    expect(sse, `${transport}: stream sse under the HTTP span`).toBeDefined();
    expect(attr(sse, 'streamtrace.stream.deltas')).toBe(5);
    expect(attr(sse, 'streamtrace.stream.outcome')).toBe('complete');
    expect(attr(sse, 'session.id')).toBe(attr(message, 'session.id'));
    expect(attr(sse, 'streamtrace.message.id')).toBe(attr(message, 'streamtrace.message.id'));
    expect(attr(stream, 'streamtrace.stream.outcome')).toBe('complete');
    expect(attr(stream, 'streamtrace.stream.chunks')).toBe(7);
    if (transport === 'fetch') {
      // The response's trace headers (exposed to the page by startSseStream) name the server's span.
      expect(attr(stream, 'streamtrace.server.trace_id')).toBe(stream.traceId);
      expect(attr(stream, 'streamtrace.server.span_id')).toBe(sse.spanId);
    }
  }
});
