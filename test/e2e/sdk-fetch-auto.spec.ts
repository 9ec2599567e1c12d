import { expect, test } from '@playwright/test';
import { startSdkTestServer } from '../../sdk/e2e-support/server.mjs';

type Attr = { key: string; value: Record<string, unknown> };
type Span = { name: string; traceId: string; spanId: string; parentSpanId?: string; attributes: Attr[] };
const attr = (s: Span, k: string): unknown => Object.values(s.attributes.find((a) => a.key === k)?.value ?? {})[0];

test('existing chat code is traced without edits: a streamed fetch POST gets its own auto-ended message', async ({ page }) => {
  const server = await startSdkTestServer();
  const base: string = server.baseUrl;
  server.setPage('/app.html', `<!doctype html><body><div data-streamtrace-message=""></div>
<script src="/dist/streamtrace.iife.js" data-endpoint="${base}/v1/traces" data-service-name="unchanged-app" data-propagate-to="${base}/sse"></script>
<script>
  window.chat = async () => {
    const res = await fetch('/sse?count=4&delay=5&mode=close&api_key=hunter2', { method: 'POST', headers: { 'content-type': 'application/json', 'x-app': 'mine' }, body: '{}' });
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    for (;;) { const { done, value } = await reader.read(); if (done) break; text += value; document.querySelector('[data-streamtrace-message]').append(value.length + ' '); }
    return text.split(/\\r?\\n\\r?\\n/).filter(Boolean).length;
  };
</script></body>`);
  try {
    await page.goto(`${base}/app.html`);
    expect(await page.evaluate(() => (window as unknown as { chat(): Promise<number> }).chat())).toBe(6);
    await page.evaluate(() => (window as unknown as { Streamtrace: { instance: { flush(): Promise<void> } } }).Streamtrace.instance.flush());
    const chatSpans = (): Span[] => (server.spans() as Span[]).filter((s) => s.name.startsWith('chat.'));
    await expect.poll(() => chatSpans().length).toBe(2);
    const spans = chatSpans();
    const stream = spans.find((s) => s.name === 'chat.stream') as Span;
    const message = spans.find((s) => s.name === 'chat.message') as Span;
    expect(stream.parentSpanId).toBe(message.spanId);
    expect(attr(message, 'streamtrace.message.auto')).toBe(true);
    expect(attr(message, 'streamtrace.message.outcome')).toBe('complete');
    expect(attr(stream, 'streamtrace.stream.transport')).toBe('fetch');
    expect(attr(stream, 'http.request.method')).toBe('POST');
    expect(attr(stream, 'http.response.status_code')).toBe(200);
    expect(attr(stream, 'streamtrace.stream.chunks')).toBe(5); // 4 deltas + done; the retry/comment block has no data
    expect(attr(stream, 'url.full')).toBe(`${base}/sse?count=4&delay=5&mode=close&api_key=REDACTED`);
    expect(attr(stream, 'streamtrace.server_timing.gateway_ms')).toBe(12.5);
    // Page health rides along: web-vitals spans of the same session.
    const vitals = (server.spans() as Span[]).filter((s) => s.name === 'browser.web_vitals');
    expect(vitals.length).toBeGreaterThan(0);
    expect(attr(vitals[0] as Span, 'session.id')).toBe(attr(message, 'session.id'));
    const request = server.requests.find((r: { url: string }) => r.url.startsWith('/sse')) as { headers: Record<string, string> };
    expect(request.headers['traceparent']).toBe(`00-${stream.traceId}-${stream.spanId}-01`);
    expect(request.headers['x-app']).toBe('mine');
    expect(request.headers['x-session-id']).toBe(attr(message, 'session.id'));
    expect(request.headers['baggage']).toBe(`session.id=${attr(message, 'session.id')},streamtrace.message.id=${attr(message, 'streamtrace.message.id')}`);
  } finally {
    await server.close();
  }
});

test('XMLHttpRequest gets context headers (never the app ones overridden) and a chat.stream span', async ({ page }) => {
  const server = await startSdkTestServer();
  const base: string = server.baseUrl;
  server.setPage('/xhr.html', `<!doctype html><body>
<script src="/dist/streamtrace.iife.js" data-endpoint="${base}/v1/traces" data-service-name="xhr-app" data-propagate-to="${base}/json"></script>
<script>
  window.send = () => new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', '/json');
    xhr.setRequestHeader('x-message-id', 'app-owned');
    xhr.onload = () => resolve([xhr.status, JSON.parse(xhr.responseText).ok, xhr instanceof XMLHttpRequest]);
    xhr.send();
  });
</script></body>`);
  try {
    await page.goto(`${base}/xhr.html`);
    expect(await page.evaluate(() => (window as unknown as { send(): Promise<unknown> }).send())).toEqual([200, true, true]);
    await page.evaluate(() => (window as unknown as { Streamtrace: { instance: { flush(): Promise<void> } } }).Streamtrace.instance.flush());
    await expect.poll(() => (server.spans() as Span[]).filter((s) => s.name === 'chat.stream').length).toBe(1);
    const stream = (server.spans() as Span[]).find((s) => s.name === 'chat.stream') as Span;
    expect(attr(stream, 'streamtrace.stream.transport')).toBe('xhr');
    expect(attr(stream, 'streamtrace.stream.outcome')).toBe('complete');
    const request = server.requests.find((r: { url: string }) => r.url === '/json') as { headers: Record<string, string> };
    expect(request.headers['traceparent']).toBe(`00-${stream.traceId}-${stream.spanId}-01`);
    expect(request.headers['x-message-id']).toBe('app-owned');
  } finally {
    await server.close();
  }
});

test('a sampled-out session records nothing and propagates sampled=0', async ({ page }) => {
  const server = await startSdkTestServer();
  const base: string = server.baseUrl;
  server.setPage('/sampled-out.html', `<!doctype html><body>
<script src="/dist/streamtrace.iife.js" data-endpoint="${base}/v1/traces" data-service-name="quiet" data-propagate-to="${base}" data-sample-rate="0"></script>
<script>
  window.run = () => new Promise((resolve) => {
    const es = new EventSource('/sse?count=2&delay=5');
    es.onmessage = (e) => { if (JSON.parse(e.data).type === 'done') { es.close(); resolve(); } };
  });
</script></body>`);
  try {
    await page.goto(`${base}/sampled-out.html`);
    await page.evaluate(() => (window as unknown as { run(): Promise<void> }).run());
    await page.evaluate(() => (window as unknown as { Streamtrace: { instance: { flush(): Promise<void> } } }).Streamtrace.instance.flush());
    const sse = server.requests.find((r: { url: string }) => r.url.startsWith('/sse')) as { url: string };
    expect(new URL(sse.url, base).searchParams.get('traceparent')).toMatch(/^00-[\da-f]{32}-[\da-f]{16}-00$/);
    expect(server.spans()).toHaveLength(0);
  } finally {
    await server.close();
  }
});
