import { expect, test } from '@playwright/test';
import { startSdkTestServer } from '../../sdk/e2e-support/server.mjs';
import { attr, type OtlpSpan } from './hardening-harness.js';

// An app calling the SDK's public API with nonsense (wrong types, circular objects, huge strings,
// calls out of order) must get no exception from it, and the SDK must go on tracing normal messages
// with bounded spans afterwards.
type Server = Awaited<ReturnType<typeof startSdkTestServer>>;
let server: Server;

test.beforeAll(async () => {
  server = await startSdkTestServer();
  server.setPage('/p.html', '<!doctype html><body><div id="out"></div><script src="/dist/streamtrace.iife.js"></script></body>');
  // As SES lockdown leaves a page: the prototypes the SDK patches are frozen before it loads.
  const freeze = 'for (const o of [Function.prototype, Response.prototype, EventTarget.prototype, EventSource.prototype, WebSocket.prototype, XMLHttpRequest.prototype, Element.prototype]) Object.freeze(o);';
  const tag = `<script src="/dist/streamtrace.iife.js" data-endpoint="${server.baseUrl}/v1/traces" data-service-name="frozen" data-propagate-to="${server.baseUrl}"></script>`;
  server.setPage('/frozen-native.html', `<!doctype html><body><div id="out"></div><script>${freeze}</script></body>`);
  server.setPage('/frozen.html', `<!doctype html><body><div id="out"></div><script>${freeze}</script>${tag}</body>`);
});
test.afterAll(async () => server.close());

test('nonsense calls to the public API throw nothing into the app; a normal message afterwards is traced, and a huge attribute is cut', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('404')) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${server.baseUrl}/p.html`);
  const result = await page.evaluate(async (base) => {
    const failures: string[] = [];
    const call = <T,>(name: string, fn: () => T): T | undefined => {
      try {
        return fn();
      } catch (e) {
        failures.push(`${name}: ${String(e)}`);
        return undefined;
      }
    };
    type Msg = { setRenderTarget(e: unknown): void; feedback(f?: unknown): void; fail(e?: unknown): void; end(): void; cancel(r?: unknown): void; regenerate(o?: unknown): Msg };
    type St = { startMessage(o?: unknown): Msg; flush(): Promise<void>; stats(): Record<string, number> };
    const api = (window as unknown as { Streamtrace: { init(o?: unknown): St } }).Streamtrace;
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    const st = call('init', () =>
      api.init({
        endpoint: `${base}/v1/traces`, serviceName: 42, propagateTo: [base, '([', null, 7, /x/], exportTimeoutMillis: NaN, keepSlowMs: Infinity,
        stallThresholdMs: -5, maxChunkEvents: 1e12, redactAttribute: 'nope', storage: 'weird', instrument: 'all', captureContent: 'yes', attributes: circular,
      }),
    ) as St;
    call('init again', () => api.init(null));
    const huge = 'x'.repeat(1_000_000);
    const m1 = call('startMessage', () => st.startMessage({ conversationId: circular, attributes: { a: circular, b: [1, 'x', {}], c: Symbol('s'), d: 10n, e: huge, f: () => 1, g: NaN, h: null } })) as Msg;
    for (const target of [document.createTextNode('x'), document, '#out', document.createElement('div'), {}, null, undefined]) call('setRenderTarget', () => m1.setRenderTarget(target));
    call('feedback', () => m1.feedback({ score: 'high', comment: circular, label: 5 }));
    call('feedback()', () => m1.feedback());
    call('fail', () => m1.fail(circular));
    call('end after fail', () => m1.end());
    call('cancel after end', () => m1.cancel({ reason: 1 }));
    const m2 = call('regenerate', () => m1.regenerate({ attributes: 5 }));
    call('startMessage string', () => st.startMessage('hello').end());
    call('startMessage number', () => st.startMessage(5).cancel());
    call('end twice', () => {
      m2?.end();
      m2?.end();
    });

    const out = document.getElementById('out') as HTMLElement;
    const m3 = st.startMessage({ conversationId: 'after-nonsense' });
    m3.setRenderTarget(out);
    const es = new EventSource('/sse?count=5&delay=5');
    await new Promise<void>((resolve) => {
      es.onmessage = (e) => {
        out.append(String(e.data));
        if (JSON.parse(e.data).type === 'done') {
          es.close();
          resolve();
        }
      };
    });
    m3.end();
    await st.flush();
    return { failures, stats: st.stats() };
  }, server.baseUrl);

  expect(result.failures).toEqual([]);
  expect(problems).toEqual([]);
  expect(result.stats['spansDropped']).toBe(0);
  const spans = server.spans() as OtlpSpan[];
  const normal = spans.find((s) => s.name === 'chat.message' && attr(s, 'gen_ai.conversation.id') === 'after-nonsense');
  expect(normal && attr(normal, 'streamtrace.message.outcome')).toBe('complete');
  const stream = spans.find((s) => s.name === 'chat.stream' && attr(s, 'streamtrace.message.id') === attr(normal as OtlpSpan, 'streamtrace.message.id'));
  expect(stream && attr(stream, 'streamtrace.stream.chunks')).toBe(6);
  expect(typeof attr(normal as OtlpSpan, 'streamtrace.ttft_visible_ms')).toBe('number');
  expect(stream && typeof attr(stream, 'streamtrace.chunk.first_paint_ms')).toBe('number');
  // The 1,000,000-character attribute left cut; the failed message kept its outcome.
  const first = spans.find((s) => s.name === 'chat.message' && attr(s, 'streamtrace.message.outcome') === 'error') as OtlpSpan;
  expect(String(attr(first, 'e'))).toHaveLength(131_072);
  expect(Math.max(...spans.map((s) => JSON.stringify(s).length))).toBeLessThan(140_000);
});

test('frozen intrinsics (SES lockdown): the page gets every byte and event as without the SDK, and fetch streams are still traced', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const body = `
    const log = [];
    const res = await fetch('/sse?count=3&delay=5&mode=close');
    const reader = res.body.getReader();
    let text = '';
    const decoder = new TextDecoder();
    for (;;) { const { done, value } = await reader.read(); if (done) break; text += decoder.decode(value, { stream: true }); }
    log.push(res.status, text.split('\\n\\n').filter(Boolean).length, res.headers.get('content-type'));
    await new Promise((resolve) => {
      const es = new EventSource('/sse?count=3&delay=5');
      es.onmessage = (e) => { log.push(JSON.parse(e.data).type); if (JSON.parse(e.data).type === 'done') { es.close(); resolve(); } };
    });
    log.push(String(fetch).includes('[native code]'));
    return log;`;
  await page.goto(`${server.baseUrl}/frozen-native.html`);
  const native = await page.evaluate(`(async () => { ${body} })()`);
  expect(JSON.stringify(native)).toContain('"done"');
  const before = server.spans().length;
  await page.goto(`${server.baseUrl}/frozen.html`);
  expect(await page.evaluate(`(async () => { ${body} })()`)).toEqual(native);
  await page.evaluate(() => (window as unknown as { Streamtrace: { instance: { flush(): Promise<void> } } }).Streamtrace.instance.flush());
  expect(errors).toEqual([]);
  const fetched = (server.spans() as OtlpSpan[]).slice(before).find((s) => s.name === 'chat.stream' && attr(s, 'streamtrace.stream.transport') === 'fetch');
  expect(fetched && attr(fetched, 'streamtrace.stream.chunks')).toBe(4);
});
