import { expect, test } from '@playwright/test';
// @ts-expect-error -- plain ESM helper without declarations
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
