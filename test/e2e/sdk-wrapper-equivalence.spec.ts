import { expect, test, type Page } from '@playwright/test';
import { startSdkTestServer } from '../../sdk/e2e-support/server.mjs';

/**
 * Every scenario runs twice in real Chromium: against the native constructors and against the
 * SDK's wrappers (with a message open, so every stream is traced and gets context). The logs of
 * what the app observes must be identical, except `url`, which is documented to carry our context
 * query parameters when the URL is in propagateTo.
 */
type Server = Awaited<ReturnType<typeof startSdkTestServer>>;
let server: Server;

test.beforeAll(async () => {
  const sdkTag = (base: string) => `<script src="/dist/streamtrace.iife.js" data-endpoint="${base}/v1/traces" data-service-name="equivalence" data-propagate-to="${base}"></script>
<script>window.msg = Streamtrace.instance.startMessage({ conversationId: 'eq' });</script>`;
  server = await startSdkTestServer();
  const base: string = server.baseUrl;
  server.setPage('/native.html', '<!doctype html><body><div data-streamtrace-message=""></div></body>');
  server.setPage('/wrapped.html', `<!doctype html><body><div data-streamtrace-message=""></div>${sdkTag(base)}</body>`);
});
test.afterAll(async () => server.close());

const scenarios: Record<string, string> = {
  eventSourceStatics: `
    const es = new EventSource('/sse?count=1&delay=5', { withCredentials: true });
    const log = [typeof EventSource, EventSource.name, EventSource.length, Function.prototype.toString.call(EventSource).includes('[native code]'),
      String(EventSource), EventSource.CONNECTING, EventSource.OPEN, EventSource.CLOSED, EventSource.prototype.CLOSED,
      es instanceof EventSource, es instanceof EventTarget, es.constructor === EventSource, Object.getPrototypeOf(es) === EventSource.prototype,
      es.readyState, es.withCredentials, es.url.startsWith(location.origin + '/sse?count=1&delay=5'), typeof es.onmessage,
      Object.keys(es).length, Object.getOwnPropertyNames(es).length];
    es.close();
    log.push(es.readyState);
    return log;`,
  eventSourceOrder: `
    const log = [];
    const es = new EventSource('/sse?count=3&delay=5&named=1');
    es.onopen = () => log.push(['onopen', es.readyState]);
    es.addEventListener('open', () => log.push(['open listener', es.readyState]));
    es.addEventListener('delta', (e) => log.push(['delta', e.data, e.lastEventId, e.type]));
    es.addEventListener('message', (e) => log.push(['message listener', e.data]));
    await new Promise((resolve) => { es.onmessage = (e) => { log.push(['onmessage', e.data, e.origin === location.origin]); if (JSON.parse(e.data).type === 'done') resolve(); }; });
    es.close();
    log.push(['closed', es.readyState]);
    return log;`,
  eventSourceReconnect: `
    const log = [];
    const es = new EventSource('/sse?count=4&delay=5&mode=reconnect-once&reset=' + Math.random());
    es.onopen = () => log.push('open');
    es.onerror = () => log.push('error:' + es.readyState);
    await new Promise((resolve) => { es.onmessage = (e) => { log.push('id:' + e.lastEventId); if (JSON.parse(e.data).type === 'done') resolve(); }; });
    es.close();
    return log;`,
  eventSourceGiveUp: `
    const log = [];
    const es = new EventSource('/sse?count=4&delay=5&mode=reconnect-once&giveup=1&reset=' + Math.random());
    es.onmessage = (e) => log.push(e.lastEventId);
    await new Promise((resolve) => { es.onerror = () => { log.push('error:' + es.readyState); es.close(); log.push(es.readyState); resolve(); }; });
    return log;`,
  eventSourceError: `
    const es = new EventSource('/does-not-exist');
    const log = [es.readyState];
    await new Promise((resolve) => es.addEventListener('error', (e) => { log.push(e.type, es.readyState, e instanceof Event); resolve(); }));
    return log;`,
  eventSourceListeners: `
    const log = [];
    const es = new EventSource('/sse?count=3&delay=5&named=1');
    const f = function (e) { log.push(['f', this === es, e.type, e.currentTarget === es]); return 'ignored'; };
    const obj = { handleEvent(e) { log.push(['obj', this === obj, e.type]); } };
    es.addEventListener('message', f);
    es.addEventListener('message', f);
    es.addEventListener('message', f, true);
    es.addEventListener('message', obj);
    es.addEventListener('delta', (e) => log.push(['once', e.type]), { once: true });
    es.addEventListener('delta', obj);
    const gone = () => log.push('removed listener ran');
    es.addEventListener('delta', gone);
    es.removeEventListener('delta', gone);
    es.addEventListener('message', f, true);
    es.removeEventListener('message', f, true);
    es.addEventListener('delta', (e) => { log.push('stopper'); e.stopImmediatePropagation(); });
    es.addEventListener('delta', () => log.push('after stop ran'));
    const errors = [];
    const onError = (e) => { errors.push(e.message); e.preventDefault(); };
    window.addEventListener('error', onError);
    es.addEventListener('message', () => { throw new Error('app bug'); }, { once: true });
    const handler = () => log.push('handler');
    es.onmessage = handler;
    log.push(es.onmessage === handler, typeof es.onmessage);
    es.onmessage = null;
    log.push(es.onmessage);
    const notCallable = { handleEvent() { log.push('object handler ran'); } };
    es.onmessage = notCallable;
    log.push(es.onmessage === notCallable);
    es.onmessage = handler;
    log.push(es.onmessage === handler);
    await new Promise((resolve) => es.addEventListener('message', (e) => { if (JSON.parse(e.data).type === 'done') setTimeout(resolve, 20); }));
    es.close();
    window.removeEventListener('error', onError);
    log.push(errors);
    return log;`,
  webSocketListeners: `
    const log = [];
    const ws = new WebSocket('/ws');
    const obj = { handleEvent(e) { log.push(['obj', this === obj, e.data]); } };
    const f = function (e) { log.push(['f', this === ws, e.data]); };
    ws.addEventListener('message', obj);
    ws.addEventListener('message', f, { once: true });
    ws.addEventListener('message', f, { once: true });
    const gone = () => log.push('removed listener ran');
    ws.addEventListener('message', gone);
    ws.removeEventListener('message', gone);
    const handler = (e) => log.push(['handler', e.data]);
    ws.onmessage = handler;
    log.push(ws.onmessage === handler);
    await new Promise((resolve) => (ws.onopen = resolve));
    ws.send('one');
    ws.send('two');
    await new Promise((resolve) => ws.addEventListener('message', (e) => { if (e.data === 'echo:two') resolve(); }));
    ws.close();
    return log;`,
  webSocketStatics: `
    const ws = new WebSocket(location.origin.replace('http', 'ws') + '/ws');
    const log = [typeof WebSocket, WebSocket.name, WebSocket.length, Function.prototype.toString.call(WebSocket).includes('[native code]'),
      WebSocket.CONNECTING, WebSocket.OPEN, WebSocket.CLOSING, WebSocket.CLOSED, ws instanceof WebSocket, ws.constructor === WebSocket,
      ws.readyState, ws.binaryType, ws.bufferedAmount, ws.protocol, ws.extensions];
    await new Promise((resolve) => (ws.onopen = resolve));
    log.push(ws.readyState, ws.protocol, ws.extensions);
    ws.close(1000, 'bye');
    log.push(ws.readyState);
    await new Promise((resolve) => ws.addEventListener('close', (e) => { log.push(e.code, e.reason, e.wasClean); resolve(); }));
    log.push(ws.readyState);
    return log;`,
  webSocketFrames: `
    const log = [];
    const ws = new WebSocket('/ws');
    ws.binaryType = 'arraybuffer';
    ws.addEventListener('open', () => log.push('open listener'));
    ws.onopen = () => { log.push('onopen'); ws.send('hello'); ws.send('binary'); ws.send('stream'); ws.send('close:4001:server says bye'); };
    ws.addEventListener('message', (e) => log.push(['listener', typeof e.data === 'string' ? e.data : e.data.byteLength]));
    ws.onmessage = (e) => log.push(['onmessage', e.data instanceof ArrayBuffer ? Array.from(new Uint8Array(e.data)) : e.data]);
    await new Promise((resolve) => { ws.onclose = (e) => { log.push(['close', e.code, e.reason, e.wasClean, ws.readyState]); resolve(); }; });
    return log;`,
  webSocketAbnormal: `
    const log = [];
    const ws = new WebSocket('/ws');
    ws.onopen = () => ws.send('terminate');
    ws.onerror = (e) => log.push(['error', e.type, ws.readyState]);
    await new Promise((resolve) => { ws.onclose = (e) => { log.push(['close', e.code, e.wasClean]); resolve(); }; });
    return log;`,
  webSocketBadUrl: `
    try { new WebSocket('ftp://nope'); return ['no throw']; } catch (e) { return [e.name, e instanceof DOMException]; }`,
  fetchStatics: `
    return [fetch.name, fetch.length, Function.prototype.toString.call(fetch).includes('[native code]'), typeof fetch('/json').then];`,
  fetchResponse: `
    const res = await fetch('/sse?count=3&delay=5&mode=close');
    const clone = res.clone();
    const log = [res.status, res.statusText, res.ok, res.url === location.origin + '/sse?count=3&delay=5&mode=close', res.type, res.redirected,
      res.headers.get('content-type'), res instanceof Response, res.body instanceof ReadableStream, res.bodyUsed,
      clone.url === res.url, clone.type, clone instanceof Response];
    const reader = res.body.getReader();
    let text = '';
    const decoder = new TextDecoder();
    for (;;) { const { done, value } = await reader.read(); if (done) break; log.push(value instanceof Uint8Array); text += decoder.decode(value, { stream: true }); }
    log.push(text.split('\\n\\n').filter(Boolean).length, res.bodyUsed, (await clone.text()) === text);
    return log.filter((v) => v !== true).concat([log.filter((v) => v === true).length > 0]);`,
  fetchResponseShape: `
    const res = await fetch('/sse?count=2&delay=5&mode=close');
    const clone = res.clone();
    const shape = (r) => [Object.keys(r).length, Object.getOwnPropertyNames(r).length, JSON.stringify(r), Object.getOwnPropertyDescriptor(r, 'url') === undefined,
      r.clone === Response.prototype.clone, Object.getPrototypeOf(r) === Response.prototype, r.headers === r.headers, { ...r }.url];
    const mutate = (headers, how) => { try { headers[how]('x-app', '1'); return 'mutated'; } catch (e) { return e.name; } };
    const log = [...shape(res), ...shape(clone), mutate(res.headers, 'set'), mutate(clone.headers, 'append'), mutate(res.headers, 'delete'),
      res.headers.has('x-app'), String(Object.getOwnPropertyDescriptor(Response.prototype, 'url').get), String(Response.prototype.clone),
      Response.prototype.clone.name, Object.getOwnPropertyNames(Response.prototype).join()];
    log.push((await res.text()).length > 0, (await clone.text()).length > 0);
    return log;`,
  prototypeFunctions: `
    const accessor = (proto, key) => Object.getOwnPropertyDescriptor(proto, key) ?? Object.getOwnPropertyDescriptor(Object.getPrototypeOf(proto), key);
    const fns = [EventSource.prototype.addEventListener, EventSource.prototype.removeEventListener, EventSource.prototype.close,
      WebSocket.prototype.addEventListener, WebSocket.prototype.close, WebSocket.prototype.send, XMLHttpRequest.prototype.open, XMLHttpRequest.prototype.send,
      Response.prototype.clone, Response.prototype.text, accessor(EventSource.prototype, 'onmessage').get, accessor(EventSource.prototype, 'onmessage').set,
      accessor(WebSocket.prototype, 'onmessage').set, accessor(Response.prototype, 'url').get, accessor(Response.prototype, 'headers').get,
      Function.prototype.toString, fetch, EventSource, WebSocket];
    return [...fns.map((f) => [String(f), f.name, f.length, Function.prototype.toString.call(f), typeof f.call, f.toString === Function.prototype.toString, Object.keys(f).length]),
      Object.getOwnPropertyDescriptor(Function.prototype, 'toString'), 'toString' in fetch, '__original' in fetch, fetch.__original];`,
  fetchForAwaitAndJson: `
    const res = await fetch(new Request('/stream?count=4&type=text/plain'));
    let bytes = 0;
    for await (const chunk of res.body) bytes += chunk.byteLength;
    const json = await (await fetch('/redirect', { headers: { 'x-app': '1' } })).json();
    const redirected = await fetch('/redirect');
    return [bytes, json.ok, redirected.redirected, redirected.url.endsWith('/json'), (await fetch('/json', { method: 'HEAD' })).status];`,
  fetchAbortAndCancel: `
    const controller = new AbortController();
    const res = await fetch('/sse?count=100&delay=20', { signal: controller.signal });
    const reader = res.body.getReader();
    await reader.read();
    controller.abort();
    const log = [];
    try { await reader.read(); log.push('read ok'); } catch (e) { log.push(e.name); }
    const res2 = await fetch('/sse?count=100&delay=20');
    const reader2 = res2.body.getReader();
    await reader2.read();
    await reader2.cancel('stop');
    const after = await reader2.read();
    log.push(after.done, after.value);
    try { await fetch('http://127.0.0.1:1/'); } catch (e) { log.push(e.name, e instanceof TypeError); }
    return log;`,
  fetchFailureErrors: `
    // What every way of reading a body rejects with, when the fetch is aborted (without and with a
    // reason, while the app waits for bytes) or the connection drops mid-body.
    const reason = new Error('app reason');
    reason.name = 'CanceledError';
    const describe = (e) => e === undefined ? 'ok' : [e.constructor.name, e.name, e.message, e === reason].join(' ');
    const reads = {
      text: (res) => res.text(), json: (res) => res.json(), arrayBuffer: (res) => res.arrayBuffer(), blob: (res) => res.blob(), formData: (res) => res.formData(),
      cloneText: (res) => res.clone().text(),
      reader: async (res) => { const reader = res.body.getReader(); while (!(await reader.read()).done); },
      forAwait: async (res) => { for await (const chunk of res.body); },
      pipeThrough: async (res) => { const reader = res.body.pipeThrough(new TextDecoderStream()).getReader(); while (!(await reader.read()).done); },
    };
    const log = [];
    for (const [name, read] of Object.entries(reads)) {
      for (const how of ['abort', 'abortWithReason', 'connectionDrop']) {
        const controller = new AbortController();
        let error;
        try {
          const res = await fetch(how === 'connectionDrop' ? '/sse?count=3&delay=5&mode=destroy' : '/sse?count=100&delay=10', { signal: controller.signal });
          if (how !== 'connectionDrop') setTimeout(() => controller.abort(how === 'abortWithReason' ? reason : undefined), 40);
          await read(res);
        } catch (e) {
          error = e;
        }
        log.push(name + ' ' + how + ': ' + describe(error));
      }
    }
    return log;`,
};

/** What the native run must show, so a scenario cannot pass by exercising nothing. */
const nativeShows: Record<string, (log: unknown) => void> = {
  eventSourceReconnect: (log) => expect((log as string[]).filter((e) => e === 'open')).toHaveLength(2),
  eventSourceOrder: (log) => expect(JSON.stringify(log)).toContain('"delta"'),
  eventSourceListeners: (log) => expect(JSON.stringify(log)).toContain('app bug'),
  webSocketListeners: (log) => expect(JSON.stringify(log)).toContain('echo:two'),
  webSocketFrames: (log) => expect(JSON.stringify(log)).toContain('[1,2,3,4]'),
  webSocketAbnormal: (log) => expect(JSON.stringify(log)).toContain('1006'),
  fetchAbortAndCancel: (log) => expect(log).toContain('AbortError'),
  fetchFailureErrors: (log) => {
    expect(log).toHaveLength(27);
    for (const line of log as string[]) expect(line).toMatch(/: \w*(Error|Exception) /);
    expect((log as string[]).filter((line) => / abort\w*: \w+ AbortError /.test(line))).toHaveLength(18);
  },
};

async function run(page: Page, path: string, body: string): Promise<unknown> {
  await page.goto(`${server.baseUrl}${path}`);
  return page.evaluate(`(async () => { ${body} })()`);
}

for (const [name, body] of Object.entries(scenarios)) {
  test(`native and wrapped behave the same: ${name}`, async ({ page }) => {
    const native = await run(page, '/native.html', body);
    nativeShows[name]?.(native);
    expect(await page.evaluate(() => typeof (window as unknown as { Streamtrace?: unknown }).Streamtrace)).toBe('undefined');
    const wrapped = await run(page, '/wrapped.html', body);
    expect(await page.evaluate(() => typeof (window as unknown as { Streamtrace?: unknown }).Streamtrace)).toBe('object');
    expect(wrapped).toEqual(native);
  });
}

test('the wrapped runs were traced: reconnects, close codes, cancels and context reached the server', async ({ page }) => {
  for (const name of ['eventSourceReconnect', 'eventSourceGiveUp', 'webSocketFrames', 'fetchAbortAndCancel']) {
    await run(page, '/wrapped.html', scenarios[name] as string);
    await page.evaluate(async () => {
      const w = window as unknown as { msg: { end(): void }; Streamtrace: { instance: { flush(): Promise<void> } } };
      w.msg.end();
      await w.Streamtrace.instance.flush();
    });
  }
  type Attr = { key: string; value: Record<string, unknown> };
  type Span = { name: string; traceId: string; attributes: Attr[]; events?: { name: string }[] };
  const attr = (s: Span, k: string): unknown => Object.values(s.attributes.find((a) => a.key === k)?.value ?? {})[0];
  await expect.poll(() => (server.spans() as Span[]).filter((s) => s.name === 'chat.stream' && attr(s, 'streamtrace.stream.transport') === 'fetch' && attr(s, 'streamtrace.stream.outcome') === 'cancel').length).toBeGreaterThanOrEqual(2);
  const streams = (server.spans() as Span[]).filter((s) => s.name === 'chat.stream');
  const reconnect = streams.find((s) => String(attr(s, 'url.full')).includes('mode=reconnect-once'));
  expect(reconnect?.events?.map((e) => e.name)).toContain('stream.reconnect');
  expect(attr(reconnect as Span, 'streamtrace.stream.reconnects')).toBe(1);
  // An app that closes the EventSource while the browser is reconnecting gave up: an error.
  const gaveUp = streams.find((s) => String(attr(s, 'url.full')).includes('giveup=1')) as Span;
  expect(attr(gaveUp, 'streamtrace.stream.outcome')).toBe('error');
  expect(attr(gaveUp, 'error.type')).toBe('eventsource_error');
  const ws = streams.find((s) => attr(s, 'streamtrace.websocket.close_code') === 4001) as Span;
  expect(attr(ws, 'streamtrace.stream.outcome')).toBe('error');
  expect(attr(ws, 'streamtrace.websocket.close_reason')).toBe('server says bye');
  expect(attr(ws, 'streamtrace.stream.chunks')).toBe(6);
  // Fetch propagation happened through headers; the SSE/WS ones through the query.
  const fetched = server.requests.filter((r: { url: string; headers: Record<string, unknown> }) => r.url.startsWith('/sse?count=100') && typeof r.headers['traceparent'] === 'string');
  expect(fetched.length).toBeGreaterThanOrEqual(2);
  const wsRequest = server.requests.find((r: { url: string }) => r.url.startsWith('/ws?'));
  if (wsRequest === undefined) throw new Error('no WebSocket upgrade recorded');
  expect(new URL(wsRequest.url, server.baseUrl).searchParams.get('traceparent')).toMatch(/^00-[\da-f]{32}-[\da-f]{16}-01$/);
  // The exporter's own requests were never traced.
  expect(streams.some((s) => String(attr(s, 'url.full')).includes('/v1/traces'))).toBe(false);
});
