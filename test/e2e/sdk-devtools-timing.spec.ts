import { expect, test } from '@playwright/test';
import { startSdkTestServer } from '../../sdk/e2e-support/server.mjs';

type Server = Awaited<ReturnType<typeof startSdkTestServer>>;
type Attr = { key: string; value: Record<string, unknown> };
type Span = { name: string; traceId: string; spanId: string; parentSpanId?: string; attributes: Attr[]; events?: { name: string; attributes?: Attr[] }[]; links?: { traceId: string; spanId: string }[] };
type Chunk = { index: number; bytes: number; arrivalMs: number; commitMs?: number; paintMs?: number; paintSource?: string };
const attr = (s: Span | { attributes?: Attr[] }, k: string): unknown => Object.values(s.attributes?.find((a) => a.key === k)?.value ?? {})[0];

let server: Server;
test.beforeAll(async () => {
  server = await startSdkTestServer();
  const base: string = server.baseUrl;
  // Manual init through the script-tag build's global; the app renders each delta into its bubble.
  server.setPage('/chat.html', `<!doctype html><body><div id="log"></div>
<script src="/dist/streamtrace.iife.js"></script>
<script>
  window.sdkMessages = [];
  window.addEventListener('message', (e) => { if (e.data && e.data.source === 'streamtrace-sdk') window.sdkMessages.push(e.data); });
  const st = Streamtrace.init({ serviceName: 'timing-page', endpoint: '${base}/v1/traces', propagateTo: ['${base}'], captureContent: true });
  window.ask = (query) => new Promise((resolve) => {
    const msg = st.startMessage({ conversationId: 'conv-1' });
    const bubble = document.createElement('p');
    document.getElementById('log').append(bubble);
    msg.setRenderTarget(bubble);
    const es = new EventSource('/sse?' + query);
    es.onmessage = (e) => {
      const data = JSON.parse(e.data);
      if (data.type === 'delta') bubble.append(data.text);
      if (data.type === 'done') { es.close(); msg.end(); resolve({ traceId: msg.traceId, id: msg.id }); }
    };
    window.lastMessage = msg;
  });
</script></body>`);
});
test.afterAll(async () => server.close());

test('chunks get arrival, DOM commit and paint times; the message gets its visible time to first token', async ({ page }) => {
  await page.goto(`${server.baseUrl}/chat.html`);
  await page.evaluate(() => window.postMessage({ source: 'streamtrace-devtools', version: 1, type: 'hello' }, '*'));
  const { traceId } = await page.evaluate(() => (window as unknown as { ask(q: string): Promise<{ traceId: string }> }).ask('count=20&delay=15'));
  await page.evaluate(() => (window as unknown as { Streamtrace: { instance: { flush(): Promise<void> } } }).Streamtrace.instance.flush());
  await expect.poll(() => (server.spans() as Span[]).filter((s) => s.traceId === traceId).length).toBe(2);
  const spans = (server.spans() as Span[]).filter((s) => s.traceId === traceId);
  const stream = spans.find((s) => s.name === 'chat.stream') as Span;
  const message = spans.find((s) => s.name === 'chat.message') as Span;

  const p50 = Number(attr(stream, 'streamtrace.chunk.render_latency_ms.p50'));
  const max = Number(attr(stream, 'streamtrace.chunk.render_latency_ms.max'));
  // Headless frames come every 16.7 ms: a painted chunk is painted within a few frames.
  expect(p50).toBeGreaterThan(0);
  expect(max).toBeLessThan(200);
  expect(Number(attr(stream, 'streamtrace.chunk.first_paint_ms'))).toBeGreaterThanOrEqual(Number(attr(stream, 'streamtrace.chunk.first_arrival_ms')));
  expect(Number(attr(message, 'streamtrace.ttft_visible_ms'))).toBeGreaterThanOrEqual(Number(attr(message, 'streamtrace.ttfb_ms')));
  expect(attr(message, 'gen_ai.conversation.id')).toBe('conv-1');
  // captureContent: the streamed answer, nothing more.
  const output = JSON.parse(String(attr(stream, 'gen_ai.output.messages')));
  expect(output[0].parts[0].content).toBe(Array.from({ length: 20 }, (_, i) => `t${i} `).join(''));

  // The devtools hook got the full per-chunk series (epoch ms) and the spans as OTLP JSON.
  const readPosted = () => page.evaluate(() => (window as unknown as { sdkMessages: { type: string; version: number; payload: unknown }[] }).sdkMessages);
  // postMessage delivery is a separate task: wait until the stream span arrived.
  await expect.poll(async () => JSON.stringify(await readPosted())).toContain('"chat.stream"');
  const posted = await readPosted();
  const chunks = posted.find((m) => m.type === 'chunks')?.payload as { traceId: string; spanId: string; chunks: Chunk[] };
  expect(chunks.traceId).toBe(traceId);
  expect(chunks.spanId).toBe(stream.spanId);
  expect(chunks.chunks).toHaveLength(21);
  const painted = chunks.chunks.filter((c) => c.paintSource === 'raf');
  expect(painted).toHaveLength(20); // every delta was rendered; the done event was not
  for (const c of painted) {
    expect(c.commitMs as number).toBeGreaterThanOrEqual(c.arrivalMs);
    expect(c.paintMs as number).toBeGreaterThanOrEqual(c.commitMs as number);
    expect(c.arrivalMs).toBeGreaterThan(Date.now() - 60_000);
  }
  const otlp = posted.filter((m) => m.type === 'spans').flatMap((m) => (m.payload as { resourceSpans: { scopeSpans: { spans: Span[] }[] }[] }).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
  expect(otlp.map((s) => s.name).sort()).toEqual(expect.arrayContaining(['chat.message', 'chat.stream']));
  expect(otlp.find((s) => s.name === 'chat.stream')?.spanId).toBe(stream.spanId);
});

test('the devtools hook posts no spans or chunks before a hello, only its data-free announcement', async ({ page }) => {
  await page.goto(`${server.baseUrl}/chat.html`);
  await page.evaluate(() => (window as unknown as { ask(q: string): Promise<unknown> }).ask('count=3&delay=5'));
  await page.evaluate(() => (window as unknown as { Streamtrace: { instance: { flush(): Promise<void> } } }).Streamtrace.instance.flush());
  await page.waitForTimeout(200);
  expect(await page.evaluate(() => (window as unknown as { sdkMessages: unknown[] }).sdkMessages)).toEqual([
    { source: 'streamtrace-sdk', version: 1, type: 'ready', payload: {} },
  ]);
});

test('regenerate links the new message to the old one; late feedback lands in the old trace', async ({ page }) => {
  await page.goto(`${server.baseUrl}/chat.html`);
  const ids = await page.evaluate(async () => {
    const w = window as unknown as { ask(q: string): Promise<{ traceId: string }>; lastMessage: { regenerate(): { traceId: string; end(): void }; feedback(f: object): void }; Streamtrace: { instance: { flush(): Promise<void> } } };
    const first = await w.ask('count=2&delay=5');
    const old = w.lastMessage;
    await w.Streamtrace.instance.flush(); // the old message span has ended by now
    const next = old.regenerate();
    next.end();
    old.feedback({ score: 0, label: 'thumbs_down', comment: 'too slow' });
    await w.Streamtrace.instance.flush();
    return { first: first.traceId, next: next.traceId };
  });
  await expect.poll(() => (server.spans() as Span[]).filter((s) => s.traceId === ids.first && s.name === 'chat.feedback').length).toBe(1);
  const spans = server.spans() as Span[];
  const old = spans.find((s) => s.traceId === ids.first && s.name === 'chat.message') as Span;
  const next = spans.find((s) => s.traceId === ids.next && s.name === 'chat.message') as Span;
  expect(next.links?.[0]).toMatchObject({ traceId: old.traceId, spanId: old.spanId });
  const feedback = spans.find((s) => s.traceId === ids.first && s.name === 'chat.feedback') as Span;
  expect(feedback.parentSpanId).toBe(old.spanId);
  const event = feedback.events?.find((e) => e.name === 'gen_ai.evaluation.result');
  expect(attr(event as { attributes: Attr[] }, 'gen_ai.evaluation.score.label')).toBe('thumbs_down');
  expect(attr(event as { attributes: Attr[] }, 'gen_ai.evaluation.explanation')).toBe('too slow');
});
