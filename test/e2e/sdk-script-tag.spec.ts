import { expect, test } from '@playwright/test';
import { startSdkTestServer } from '../../sdk/e2e-support/server.mjs';

type Attr = { key: string; value: Record<string, unknown> };
type OtlpSpan = { name: string; traceId: string; spanId: string; parentSpanId?: string; attributes?: Attr[]; events?: { name: string; attributes?: Attr[] }[] };
const attr = (span: OtlpSpan, key: string): unknown => {
  const value = span.attributes?.find((a) => a.key === key)?.value;
  return value === undefined ? undefined : Object.values(value)[0];
};

const page = (base: string): string => `<!doctype html><html><body>
<div id="answer" data-streamtrace-message=""></div>
<script src="/dist/streamtrace.iife.js" data-endpoint="${base}/v1/traces" data-service-name="plain-page"
  data-propagate-to="${base}/sse" data-sample-rate="1"></script>
<script>
  window.received = [];
  const es = new EventSource('/sse?count=5&delay=20');
  es.onmessage = (e) => {
    const msg = JSON.parse(e.data);
    window.received.push(msg.type);
    if (msg.type === 'delta') document.getElementById('answer').append(msg.text);
    if (msg.type === 'done') { es.close(); window.finished = true; }
  };
</script></body></html>`;

test('a plain page with only the script tag traces an EventSource end to end', async ({ page: browserPage }) => {
  const server = await startSdkTestServer();
  const base: string = server.baseUrl;
  try {
    // The page embeds the server's own URL, known only once it listens.
    await browserPage.route('**/plain.html', (route) => route.fulfill({ contentType: 'text/html', body: page(base) }));
    await browserPage.goto(`${base}/plain.html`);
    await browserPage.waitForFunction(() => (window as unknown as { finished?: boolean }).finished === true);
    expect(await browserPage.evaluate(() => typeof (window as unknown as { Streamtrace: { instance?: unknown } }).Streamtrace.instance)).toBe('object');
    await browserPage.evaluate(() => (window as unknown as { Streamtrace: { instance: { flush(): Promise<void> } } }).Streamtrace.instance.flush());
    await expect.poll(() => server.spans().filter((s: OtlpSpan) => s.name === 'chat.stream').length).toBe(1);

    const spans = server.spans() as OtlpSpan[];
    const stream = spans.find((s) => s.name === 'chat.stream') as OtlpSpan;
    const message = spans.find((s) => s.name === 'chat.message') as OtlpSpan;
    expect(message).toBeDefined();
    expect(stream.traceId).toBe(message.traceId);
    expect(stream.parentSpanId).toBe(message.spanId);
    expect(attr(stream, 'streamtrace.stream.transport')).toBe('eventsource');
    expect(attr(stream, 'streamtrace.stream.chunks')).toBe(6); // 5 deltas + done
    expect(attr(stream, 'streamtrace.stream.outcome')).toBe('complete');
    expect(attr(stream, 'url.full')).toBe(`${base}/sse?count=5&delay=20`);
    expect(attr(message, 'session.id')).toMatch(/^[\da-f]{32}$/);
    expect(attr(message, 'streamtrace.message.outcome')).toBe('complete');
    expect(Number(attr(stream, 'streamtrace.chunk.first_paint_ms'))).toBeGreaterThan(0);

    // The server saw the stream span's context in the query.
    const sse = server.requests.find((r: { url: string }) => r.url.startsWith('/sse')) as { url: string };
    const query = new URL(sse.url, base).searchParams;
    expect(query.get('traceparent')).toBe(`00-${stream.traceId}-${stream.spanId}-01`);
    expect(query.get('session_id')).toBe(attr(message, 'session.id'));
    expect(query.get('message_id')).toBe(attr(message, 'streamtrace.message.id'));
  } finally {
    await server.close();
  }
});
