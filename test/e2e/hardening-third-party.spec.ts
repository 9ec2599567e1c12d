// Third-party clients that build on the natives keep their exact behaviour and are traced:
// @microsoft/fetch-event-source (POST SSE over fetch) and reconnecting-websocket.
import { expect, test, type Page } from '@playwright/test';
import { attr, isBrowserNetworkLog, sdkPage, startApp, startCollector, watchPage } from './hardening-harness.js';

const clients = `<script type="module">
  import { fetchEventSource } from '/vendor/fes/index.js';
  import ReconnectingWebSocket from '/vendor/rws/reconnecting-websocket-mjs.js';
  window.runFes = async () => {
    const log = [];
    await fetchEventSource('/chat?count=5&delay=20', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'hi' }), openWhenHidden: true,
      async onopen(res) { log.push('open:' + res.status + ':' + res.headers.get('content-type') + ':' + (res instanceof Response)); },
      onmessage(ev) { log.push('msg:' + ev.id + ':' + ev.event + ':' + ev.data); },
      onclose() { log.push('close'); },
      onerror(err) { log.push('error:' + err); throw err; },
    });
    return log;
  };
  window.runRws = () => new Promise((resolve) => {
    const log = [];
    let opens = 0;
    const ws = new ReconnectingWebSocket(location.origin.replace('http', 'ws') + '/ws?count=3', [], { minReconnectionDelay: 50, maxReconnectionDelay: 100, maxRetries: 5 });
    ws.addEventListener('open', () => { opens++; log.push('open:' + ws.readyState + ':' + ws.retryCount); ws.send(JSON.stringify({ message: 'hi', drop: opens === 1 })); });
    ws.addEventListener('message', (e) => { const m = JSON.parse(e.data); log.push('msg:' + m.type + ':' + (m.index ?? '')); if (m.type === 'done') ws.close(1000, 'bye'); });
    ws.addEventListener('error', () => log.push('error'));
    ws.addEventListener('close', (e) => { log.push('close:' + e.code + ':' + e.reason); if (e.code === 1000) resolve(log); });
  });
  window.clientsReady = true;
</script>`;

async function run(page: Page, traced: boolean): Promise<{ fes: string[]; rws: string[]; app: Awaited<ReturnType<typeof startApp>>; collector: Awaited<ReturnType<typeof startCollector>> }> {
  const app = await startApp();
  const collector = await startCollector();
  const watch = watchPage(page);
  app.setPage('/c.html', sdkPage(traced ? { endpoint: collector.url, propagateTo: [app.base], pageHealth: false } : null, clients));
  await page.goto(`${app.base}/c.html`);
  await page.waitForFunction(() => (window as unknown as { clientsReady?: boolean }).clientsReady === true);
  const result = await page.evaluate(async () => {
    const w = window as unknown as { runFes(): Promise<string[]>; runRws(): Promise<string[]>; st?: { flush(): Promise<void> } };
    const fes = await w.runFes();
    const rws = await w.runRws();
    await w.st?.flush();
    return { fes, rws };
  });
  expect(watch.pageErrors).toEqual([]);
  expect(await watch.rejections()).toEqual([]);
  expect(watch.consoleErrors.filter((t) => !isBrowserNetworkLog(t))).toEqual([]);
  return { ...result, app, collector };
}

test('fetch-event-source and reconnecting-websocket behave the same with the SDK, and are traced', async ({ browser }) => {
  const plainPage = await browser.newPage();
  const plain = await run(plainPage, false);
  await plainPage.close();
  const tracedPage = await browser.newPage();
  const traced = await run(tracedPage, true);
  await tracedPage.close();
  try {
    // The exact event sequences, including the server-forced reconnect (1006) and the final close.
    expect(plain.fes).toHaveLength(1 + 6 + 1);
    expect(plain.rws).toContain('close:1006:');
    expect(plain.rws.filter((e) => e.startsWith('open:'))).toHaveLength(2);
    expect(traced.fes).toEqual(plain.fes);
    expect(traced.rws).toEqual(plain.rws);
    expect(plain.collector.posts).toEqual([]);

    const { collector, app } = traced;
    await expect.poll(() => collector.spans().filter((s) => s.name === 'chat.stream').length).toBe(3);
    const streams = collector.spans().filter((s) => s.name === 'chat.stream');
    const fetchSpan = streams.find((s) => attr(s, 'streamtrace.stream.transport') === 'fetch')!;
    expect(attr(fetchSpan, 'streamtrace.stream.chunks')).toBe(6);
    expect(attr(fetchSpan, 'streamtrace.stream.outcome')).toBe('complete');
    expect(attr(fetchSpan, 'http.request.method')).toBe('POST');
    const chat = app.requests.find((r) => r.path === '/chat')!;
    expect(chat.headers.traceparent).toBe(`00-${fetchSpan.traceId}-${fetchSpan.spanId}-01`);

    const wsSpans = streams.filter((s) => attr(s, 'streamtrace.stream.transport') === 'websocket');
    expect(wsSpans.map((s) => attr(s, 'streamtrace.stream.outcome')).sort()).toEqual(['complete', 'error']);
    const upgrades = app.requests.filter((r) => r.path === '/ws');
    expect(upgrades).toHaveLength(2);
    const sent = upgrades.map((r) => r.query.get('traceparent')).sort();
    expect(sent).toEqual(wsSpans.map((s) => `00-${s.traceId}-${s.spanId}-01`).sort());
  } finally {
    for (const r of [plain, traced]) {
      await r.app.close();
      await r.collector.close();
    }
  }
});
