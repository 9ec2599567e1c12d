// A new user's first try: a plain page with only the README's <script> tag (no init call, no
// startMessage) and their existing chat code, talking to the real demo gateway over each
// transport. Each message must become one trace: browser chat.message → chat.stream → the
// gateway's spans, with the context on the request and chunk timing on the stream.
import { expect, test } from './fixtures/stack.js';
import { gotoPage, scriptTagPage, startNewUserServer, type NewUserServer } from './fixtures/new-user-server.js';
import { findSpan, waitForTrace, type FlatSpan } from './fixtures/traces.js';

let pages: NewUserServer;
test.beforeAll(async () => {
  pages = await startNewUserServer();
});
test.afterAll(async () => {
  await pages.close();
});

/** The app's own chat code: one function per transport, each resolving with what the user saw. */
const app = (gateway: string): string => `
  const answer = document.getElementById('answer');
  const show = (m, seen) => { seen.push(m.type); if (m.type === 'start') seen.traceId = m.traceId; if (m.type === 'delta') answer.append(m.text); };
  window.chat = {
    fetch: async () => {
      const seen = [];
      const res = await fetch('${gateway}/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'what is streamtrace?' }) });
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read(); if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\\n\\n')) !== -1) {
          const data = buffer.slice(0, end).split('\\n').find((l) => l.startsWith('data: '));
          buffer = buffer.slice(end + 2);
          if (data) show(JSON.parse(data.slice(6)), seen);
        }
      }
      return { types: [...new Set(seen)], traceId: seen.traceId };
    },
    eventsource: () => new Promise((resolve) => {
      const seen = [];
      const es = new EventSource('${gateway}/api/chat/stream?message=' + encodeURIComponent('what is streamtrace?'));
      es.onmessage = (e) => { const m = JSON.parse(e.data); show(m, seen); if (m.type === 'done' || m.type === 'error') { es.close(); resolve({ types: [...new Set(seen)], traceId: seen.traceId }); } };
    }),
    websocket: () => new Promise((resolve) => {
      const seen = [];
      const ws = new WebSocket('${gateway.replace('http', 'ws')}/api/chat/ws');
      ws.onopen = () => ws.send(JSON.stringify({ message: 'what is streamtrace?' }));
      ws.onmessage = (e) => { const m = JSON.parse(e.data); show(m, seen); if (m.type === 'done' || m.type === 'error') ws.close(1000); };
      ws.onclose = () => resolve({ types: [...new Set(seen)], traceId: seen.traceId });
    }),
    xhr: () => new Promise((resolve) => {
      // Old-style streaming: read responseText as it grows on each progress event.
      const seen = [];
      const xhr = new XMLHttpRequest();
      let at = 0;
      const drain = () => {
        let end;
        while ((end = xhr.responseText.indexOf('\\n\\n', at)) !== -1) {
          const data = xhr.responseText.slice(at, end).split('\\n').find((l) => l.startsWith('data: '));
          at = end + 2;
          if (data) show(JSON.parse(data.slice(6)), seen);
        }
      };
      xhr.open('POST', '${gateway}/api/chat');
      xhr.setRequestHeader('content-type', 'application/json');
      xhr.onprogress = drain;
      xhr.onload = () => { drain(); resolve({ types: [...new Set(seen)], traceId: seen.traceId }); };
      xhr.send(JSON.stringify({ message: 'what is streamtrace?' }));
    }),
  };`;

const transports = ['fetch', 'eventsource', 'websocket', 'xhr'] as const;

test('only the script tag: every transport to the real gateway is one trace per message, context on the request, chunk timing on the stream', async ({ page, stack }) => {
  pages.setPage('/plain.html', scriptTagPage({ endpoint: `${stack.urls.collector}/v1/traces`, propagateTo: stack.urls.gateway, serviceName: 'plain-page' }, app(stack.urls.gateway)));
  await gotoPage(page, pages, `${pages.base}/plain.html`);
  const results: Record<string, { types: string[]; traceId: string }> = {};
  for (const transport of transports) {
    results[transport] = await page.evaluate((t) => (window as unknown as { chat: Record<string, () => Promise<{ types: string[]; traceId: string }>> }).chat[t]!(), transport);
    expect(results[transport]!.types, transport).toEqual(['start', 'delta', 'done']);
  }
  expect(await page.evaluate(() => (window as unknown as { pageErrors: string[] }).pageErrors)).toEqual([]);
  await page.evaluate(() => (window as unknown as { flush(): Promise<void> }).flush());

  const traceIds = new Set(transports.map((t) => results[t]!.traceId));
  expect(traceIds.size).toBe(transports.length);
  for (const transport of transports) {
    const traceId = results[transport]!.traceId;
    const spans = await waitForTrace(stack.urls.collector, traceId, (s) =>
      s.some((x) => x.service === 'plain-page' && x.name === 'chat.message') &&
      s.some((x) => x.service === 'chat-gateway' && x.name.startsWith('stream ')) &&
      s.some((x) => x.service === 'model-service'));
    const browser = spans.filter((s) => s.service === 'plain-page');
    const messages = browser.filter((s) => s.name === 'chat.message');
    expect(messages, `${transport}: one message in the trace`).toHaveLength(1);
    const message = messages[0] as FlatSpan;
    const stream = findSpan(spans, (s) => s.service === 'plain-page' && s.name === 'chat.stream', `${transport} chat.stream`);
    expect(stream.parentSpanId).toBe(message.spanId);
    expect(message.parentSpanId).toBe('');
    expect(message.attributes['streamtrace.message.outcome'], transport).toBe('complete');
    expect(message.attributes['streamtrace.message.auto'], transport).toBe(true);
    expect(stream.attributes['streamtrace.stream.transport'], transport).toBe(transport);
    expect(stream.attributes['streamtrace.stream.outcome'], transport).toBe('complete');
    expect(Number(stream.attributes['streamtrace.stream.chunks']), transport).toBeGreaterThan(2);
    expect(Number(stream.attributes['streamtrace.chunk.first_arrival_ms']), transport).toBeGreaterThan(0);
    if (transport !== 'xhr') {
      // The app painted each delta into the page: the stream knows when the first one was on screen.
      expect(Number(stream.attributes['streamtrace.chunk.first_paint_ms']), transport).toBeGreaterThanOrEqual(Number(stream.attributes['streamtrace.chunk.first_arrival_ms']));
      expect(Number(message.attributes['streamtrace.ttft_visible_ms']), transport).toBeGreaterThan(0);
    }
    // The gateway joined the browser's trace directly under the browser's stream span.
    const entry = findSpan(spans, (s) => s.service === 'chat-gateway' && s.parentSpanId === stream.spanId, `${transport} gateway span under chat.stream`);
    expect(entry.attributes['session.id'] ?? spans.find((s) => s.service === 'chat-gateway' && s.attributes['session.id'])?.attributes['session.id']).toBe(message.attributes['session.id']);
    const gatewayStream = findSpan(spans, (s) => s.service === 'chat-gateway' && s.name.startsWith('stream '), `${transport} gateway stream span`);
    expect(gatewayStream.attributes['streamtrace.message.id']).toBe(message.attributes['streamtrace.message.id']);
    expect(gatewayStream.attributes['streamtrace.stream.outcome']).toBe('complete');
  }
});

/** Where and how users paste the tag: each variant must trace the app's fetch and EventSource, or at least never break it. */
const variants = (base: string): Record<string, string> => {
  const attrs = `data-endpoint="${base}/v1/traces" data-service-name="variant"`;
  return {
    inHead: `<script src="/dist/streamtrace.iife.js" ${attrs} data-propagate-to="${base}"></script>`,
    asyncInHead: `<script async src="/dist/streamtrace.iife.js" ${attrs} data-propagate-to="${base}"></script>`,
    spacesInList: `<script src="/dist/streamtrace.iife.js" ${attrs} data-propagate-to=" ${base}/elsewhere , /sse "></script>`,
    garbageRate: `<script src="/dist/streamtrace.iife.js" ${attrs} data-propagate-to="${base}" data-sample-rate="abc" data-capture-content="yes"></script>`,
    badEndpoint: `<script src="/dist/streamtrace.iife.js" data-endpoint="not a url" data-propagate-to="${base}"></script>`,
  };
};

test('README tag variations: in <head>, async, spaces in data-propagate-to, garbage values — the app works and (with a valid endpoint) is traced', async ({ page }) => {
  const base = pages.base;
  for (const [name, tag] of Object.entries(variants(base))) {
    pages.setPage(`/variant-${name}.html`, `<!doctype html><html><head><meta charset="utf-8">${tag}
<script>
  window.pageErrors = [];
  addEventListener('error', (e) => window.pageErrors.push(String(e.message)));
  addEventListener('unhandledrejection', (e) => window.pageErrors.push(String(e.reason)));
  window.run = async (v) => {
    const res = await fetch('/sse?count=3&delay=5&v=' + v);
    const text = await res.text();
    document.getElementById('answer').append(String(text.length));
    const events = await new Promise((resolve) => {
      const es = new EventSource('/sse?count=3&delay=5&v=' + v + '-es'); let n = 0;
      es.onmessage = (e) => { n++; document.getElementById('answer').append('.'); if (e.data.includes('"done"')) { es.close(); resolve(n); } };
    });
    return [text.length, events];
  };
</script></head><body><div id="answer"></div></body></html>`);
    await gotoPage(page, pages, `${base}/variant-${name}.html`);
    await page.waitForFunction(() => typeof (window as unknown as { Streamtrace?: { instance?: unknown } }).Streamtrace?.instance === 'object');
    expect(await page.evaluate((v) => (window as unknown as { run(v: string): Promise<unknown> }).run(v), name), name).toEqual([275, 4]); // characters of the 314-byte body, 3 deltas + done
    expect(await page.evaluate(() => (window as unknown as { pageErrors: string[] }).pageErrors), name).toEqual([]);
    await page.evaluate(() => (window as unknown as { Streamtrace: { instance: { flush(): Promise<void> } } }).Streamtrace.instance.flush());
  }
  const streamsOf = (v: string) => pages.spans().filter((s) => s.name === 'chat.stream' && /[?&]v=/.test(String(s.attributes?.find((a) => a.key === 'url.full')?.value.stringValue)) && String(s.attributes?.find((a) => a.key === 'url.full')?.value.stringValue).replace(/-es$/, '').endsWith(`v=${v}`));
  for (const name of ['inHead', 'asyncInHead', 'spacesInList', 'garbageRate']) {
    await expect.poll(() => streamsOf(name).length, name).toBe(2);
    // Context reached the server for the fetch (headers) and the EventSource (query).
    const seen = pages.requests.filter((r) => r.path === '/sse' && (r.query.get('v') ?? '').replace(/-es$/, '') === name);
    expect(seen.map((r) => r.headers.traceparent ?? r.query.get('traceparent')).every((t) => /^00-[\da-f]{32}-[\da-f]{16}-01$/.test(String(t))), name).toBe(true);
  }
  // An unusable endpoint: the app is unaffected, nothing is exported anywhere.
  expect(streamsOf('badEndpoint')).toHaveLength(0);
});
