// Other ways chat apps stream, on a page with only the script tag: XMLHttpRequest progress
// streaming (and abort), EventSource apps that only listen to named events (functions and
// handleEvent objects), WebSocket binary frames as Blob and ArrayBuffer, and
// @microsoft/fetch-event-source stopped with its AbortController. The app must see exactly what
// it sees without the SDK, and every stream must be counted and ended the way the app ended it.
import { expect, test, type Page } from '@playwright/test';
import { streamTagged, attr, gotoPage, scriptTagPage, startNewUserServer, type NewUserServer, type OtlpSpan } from './fixtures/new-user-server.js';

let server: NewUserServer;
test.beforeAll(async () => {
  server = await startNewUserServer();
});
test.afterAll(async () => {
  await server.close();
});

const app = `
  window.clients = {
    xhrProgress: () => new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      const seen = [];
      xhr.open('GET', '/sse?count=8&size=30&delay=15&c=xhrProgress');
      xhr.onprogress = () => seen.push(xhr.responseText.length);
      xhr.onloadend = () => resolve({ status: xhr.status, length: xhr.responseText.length, grew: seen.length > 1, text: xhr.responseText });
      xhr.send();
    }),
    xhrAbort: () => new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      const events = [];
      xhr.open('GET', '/sse?count=200&delay=10&mode=hold&c=xhrAbort');
      xhr.onprogress = () => { if (xhr.responseText.includes('"index":1')) xhr.abort(); };
      xhr.onabort = () => events.push('abort');
      xhr.onloadend = () => { events.push('loadend:' + xhr.status); resolve(events); };
      xhr.send();
    }),
    namedEvents: () => new Promise((resolve) => {
      // Only named events, one by a handleEvent object: no onmessage at all.
      const es = new EventSource('/sse?count=5&named=1&c=namedEvents');
      const got = [];
      const handler = { handleEvent(e) { got.push([this === handler, e.type, e.lastEventId, JSON.parse(e.data).index]); } };
      es.addEventListener('delta', handler);
      es.addEventListener('done', (e) => { got.push(['done', e.type]); es.close(); resolve(got); });
    }),
    wsBlob: () => new Promise((resolve) => {
      const ws = new WebSocket(location.origin.replace('http', 'ws') + '/ws?c=wsBlob');
      const sizes = [];
      ws.onopen = () => ws.send('binary:6');
      ws.onmessage = async (e) => {
        if (e.data === 'done') { ws.close(1000); return; }
        sizes.push([e.data instanceof Blob, Array.from(new Uint8Array(await e.data.arrayBuffer()))]);
      };
      ws.onclose = (e) => resolve({ sizes, code: e.code });
    }),
    wsArrayBuffer: () => new Promise((resolve) => {
      const ws = new WebSocket(location.origin.replace('http', 'ws') + '/ws?c=wsArrayBuffer');
      ws.binaryType = 'arraybuffer';
      const frames = [];
      ws.onopen = () => { ws.send(new Uint8Array([9, 9, 9])); ws.send('binary:4'); };
      ws.onmessage = (e) => {
        if (e.data === 'done') { ws.close(1000); return; }
        frames.push(typeof e.data === 'string' ? e.data : [e.data instanceof ArrayBuffer, Array.from(new Uint8Array(e.data))]);
      };
      ws.onclose = (e) => resolve({ frames, code: e.code });
    }),
  };`;

const fesModule = `<script type="module">
  import { fetchEventSource } from '/vendor/fes/index.js';
  window.clients.fesAbort = async () => {
    const ctrl = new AbortController();
    const got = [];
    await fetchEventSource('/sse?count=200&delay=10&mode=hold&c=fesAbort', {
      signal: ctrl.signal, openWhenHidden: true,
      onmessage(ev) { got.push(ev.id); if (got.length === 3) ctrl.abort(); },
      onerror(err) { throw err; },
    });
    return got;
  };
  window.fesReady = true;
</script>`;

async function runAll(page: Page, path: string): Promise<Record<string, unknown>> {
  await gotoPage(page, server, `${server.base}${path}`);
  await page.waitForFunction(() => (window as unknown as { fesReady?: boolean }).fesReady === true);
  return page.evaluate(async () => {
    const clients = (window as unknown as { clients: Record<string, () => Promise<unknown>> }).clients;
    const out: Record<string, unknown> = {};
    for (const name of Object.keys(clients)) out[name] = await clients[name]!();
    return out;
  });
}

const streamOf = (spans: OtlpSpan[], c: string): OtlpSpan | undefined =>
  spans.find((s) => s.name === 'chat.stream' && String(attr(s, 'url.full')).includes(`c=${c}`));

test('XHR progress, named-event EventSource, binary WebSocket frames and fetch-event-source abort: native behaviour, traced as the app ended them', async ({ page }) => {
  server.setPage('/native.html', `<!doctype html><body><script>window.pageErrors = [];${app}</script>${fesModule}</body>`);
  server.setPage('/traced.html', scriptTagPage({ endpoint: `${server.base}/v1/traces`, propagateTo: `${server.base}/` }, app) + fesModule);
  const native = await runAll(page, '/native.html');
  // The native run really exercised each client.
  expect((native.xhrProgress as { grew: boolean }).grew).toBe(true);
  expect(native.xhrAbort).toEqual(['abort', 'loadend:0']);
  expect((native.namedEvents as unknown[]).length).toBe(6);
  expect((native.wsBlob as { sizes: unknown[] }).sizes).toHaveLength(6);
  // The library also dispatches the data-less retry block, and every event of the network read it
  // is in, also after the app's abort: natively '2' (and more) can follow, depending on how the bytes
  // were split into reads.
  const { fesAbort: nativeFes, ...nativeRest } = native;
  expect((nativeFes as string[]).slice(0, 3)).toEqual(['', '0', '1']);

  const traced = await runAll(page, '/traced.html');
  const { fesAbort: tracedFes, ...tracedRest } = traced;
  expect(tracedRest).toEqual(nativeRest);
  expect((tracedFes as string[]).slice(0, 3)).toEqual(['', '0', '1']);
  expect(await page.evaluate(() => (window as unknown as { pageErrors: string[] }).pageErrors)).toEqual([]);
  await page.evaluate(() => (window as unknown as { flush(): Promise<void> }).flush());

  const names = ['xhrProgress', 'xhrAbort', 'namedEvents', 'wsBlob', 'wsArrayBuffer', 'fesAbort'];
  await expect.poll(() => names.filter((n) => streamOf(server.spans(), n)).length).toBe(names.length);
  const spans = server.spans();
  const summary = (n: string): unknown[] => {
    const s = streamOf(spans, n);
    return [attr(s, 'streamtrace.stream.transport'), attr(s, 'streamtrace.stream.outcome')];
  };
  expect(summary('xhrProgress')).toEqual(['xhr', 'complete']);
  expect(summary('xhrAbort')).toEqual(['xhr', 'cancel']);
  expect(summary('namedEvents')).toEqual(['eventsource', 'complete']);
  expect(summary('wsBlob')).toEqual(['websocket', 'complete']);
  expect(summary('wsArrayBuffer')).toEqual(['websocket', 'complete']);
  expect(summary('fesAbort')).toEqual(['fetch', 'cancel']);

  // XHR: one chunk per progress event, the bytes are the whole body.
  const xhr = streamOf(spans, 'xhrProgress');
  expect(attr(xhr, 'streamtrace.stream.bytes')).toBe(new TextEncoder().encode((native.xhrProgress as { text: string }).text).length);
  expect(Number(attr(xhr, 'streamtrace.stream.chunks'))).toBeGreaterThan(1);
  // Named events the app listens to are chunks (5 deltas + done), with no onmessage anywhere.
  expect(attr(streamOf(spans, 'namedEvents'), 'streamtrace.stream.chunks')).toBe(6);
  // Binary frames are chunks with their byte sizes: 1+2+…+6 plus the 4-byte "done".
  expect(attr(streamOf(spans, 'wsBlob'), 'streamtrace.stream.chunks')).toBe(7);
  expect(attr(streamOf(spans, 'wsBlob'), 'streamtrace.stream.bytes')).toBe(21 + 4);
  // echo of the 3 sent bytes ("echo:3"), 1+2+3+4 binary bytes, "done".
  expect(attr(streamOf(spans, 'wsArrayBuffer'), 'streamtrace.stream.chunks')).toBe(6);
  expect(attr(streamOf(spans, 'wsArrayBuffer'), 'streamtrace.stream.bytes')).toBe(6 + 10 + 4);
  // fetch-event-source: the data events the app got before and with the abort were chunks (the retry
  // block has no data); the SDK may have counted one network read more that the abort kept from the app.
  const fesChunks = Number(attr(streamOf(spans, 'fesAbort'), 'streamtrace.stream.chunks'));
  expect(fesChunks).toBeGreaterThanOrEqual((tracedFes as string[]).filter((id) => id !== '').length);
  expect(fesChunks).toBeLessThan(20);
  // The app's requests carried each stream's own context (XHR as headers, EventSource/WebSocket in the query).
  for (const n of names) {
    const s = streamOf(spans, n) as OtlpSpan;
    const request = server.requests.filter((r) => r.query.get('c') === n).at(-1); // the traced run's
    const sent = request?.headers.traceparent ?? request?.query.get('traceparent');
    expect(sent, n).toBe(`00-${s.traceId}-${s.spanId}-01`);
  }
});

test('request bodies and Request inputs reach the server exactly as without the SDK, plus the context headers', async ({ page }) => {
  const code = `window.send = async () => {
    const fd = new FormData(); fd.append('a', '1'); fd.append('f', new Blob(['xyz'], { type: 'text/plain' }), 'f.txt');
    const out = [];
    const bodies = [['formData', fd], ['blob', new Blob(['abc'], { type: 'application/x-custom' })], ['params', new URLSearchParams({ q: '1' })], ['string', 'plain'], ['bytes', new Uint8Array([1, 2, 3])]];
    for (const [k, body] of bodies) out.push([k, (await fetch('/json?b=' + k, { method: 'POST', body })).status]);
    const request = new Request('/json?b=request', { method: 'POST', body: 'request body', headers: { 'x-app': 'a' } });
    out.push(['request', (await fetch(request)).status, request.bodyUsed]);
    // init.headers replace the Request's own headers natively (content-type included): the same with the SDK.
    out.push(['requestAndInit', (await fetch(new Request('/json?b=requestAndInit', { method: 'PUT', body: fd }), { headers: { 'x-over': '1' } })).status]);
    return out;
  };`;
  server.setPage('/bodies-native.html', `<!doctype html><body><script>${code}</script></body>`);
  server.setPage('/bodies-traced.html', scriptTagPage({ endpoint: `${server.base}/v1/traces`, propagateTo: `${server.base}/json` }, code));
  const seen = async (path: string): Promise<{ result: unknown; requests: Record<string, unknown>[] }> => {
    const before = server.requests.length;
    await gotoPage(page, server, `${server.base}${path}`);
    const result = await page.evaluate(() => (window as unknown as { send(): Promise<unknown> }).send());
    const requests = server.requests.slice(before).filter((r) => r.path === '/json').map((r) => ({
      b: r.query.get('b'),
      type: r.headers['content-type']?.replace(/boundary=.*/, 'boundary=*'),
      length: r.headers['content-length'],
      app: r.headers['x-app'],
      over: r.headers['x-over'],
      traceparent: typeof r.headers.traceparent === 'string',
    }));
    return { result, requests };
  };
  const native = await seen('/bodies-native.html');
  const traced = await seen('/bodies-traced.html');
  expect(native.requests).toHaveLength(7);
  expect(native.requests.find((r) => r.b === 'formData')?.type).toBe('multipart/form-data; boundary=*');
  expect(traced.result).toEqual(native.result);
  expect(traced.requests).toEqual(native.requests.map((r) => ({ ...r, traceparent: true })));
});

test('XMLHttpRequest variants: sync, responseType json/arraybuffer/blob/document and timeout behave natively and are traced', async ({ page }) => {
  const code = `window.xhrs = async () => {
    const out = [];
    const sync = new XMLHttpRequest(); sync.open('GET', '/json?x=sync', false); sync.send(); out.push(['sync', sync.status, sync.responseText]);
    for (const type of ['json', 'arraybuffer', 'blob', 'document']) {
      out.push(await new Promise((resolve) => {
        const r = new XMLHttpRequest(); r.open('GET', '/json?x=' + type); r.responseType = type;
        r.onload = () => resolve([type, r.status, r.response instanceof ArrayBuffer ? r.response.byteLength : r.response instanceof Blob ? r.response.size : type === 'json' ? JSON.stringify(r.response) : String(r.response)]);
        r.send();
      }));
    }
    out.push(await new Promise((resolve) => {
      const r = new XMLHttpRequest(); r.open('GET', '/sse?count=100&delay=50&mode=hold&x=timeout'); r.timeout = 300;
      r.ontimeout = () => resolve(['timeout', r.status, r.readyState]); r.send();
    }));
    return out;
  };`;
  server.setPage('/xhr-native.html', `<!doctype html><body><script>${code}</script></body>`);
  server.setPage('/xhr-traced.html', scriptTagPage({ endpoint: `${server.base}/v1/traces`, propagateTo: `${server.base}/` }, code));
  const run = async (path: string): Promise<unknown> => {
    await gotoPage(page, server, `${server.base}${path}`);
    return page.evaluate(() => (window as unknown as { xhrs(): Promise<unknown> }).xhrs());
  };
  const native = await run('/xhr-native.html');
  expect(native).toEqual([['sync', 200, '{"ok":true}'], ['json', 200, '{"ok":true}'], ['arraybuffer', 200, 11], ['blob', 200, 11], ['document', 200, 'null'], ['timeout', 0, 4]]);
  expect(await run('/xhr-traced.html')).toEqual(native);
  await page.evaluate(() => (window as unknown as { flush(): Promise<void> }).flush());
  const find = (x: string): OtlpSpan | undefined => streamTagged(server.spans(), 'x', x);
  const names = ['sync', 'json', 'arraybuffer', 'blob', 'document', 'timeout'];
  await expect.poll(() => names.filter((x) => find(x)).length).toBe(names.length);
  for (const x of names.slice(0, 5)) {
    expect([x, attr(find(x), 'streamtrace.stream.transport'), attr(find(x), 'streamtrace.stream.outcome'), attr(find(x), 'http.response.status_code')]).toEqual([x, 'xhr', 'complete', 200]);
  }
  expect(attr(find('timeout'), 'streamtrace.stream.outcome')).toBe('error');
  expect(attr(find('timeout'), 'error.type'), 'the app\'s own timeout, not a network error').toBe('timeout');
  const traced = server.requests.filter((r) => r.path !== '/xhr-traced.html' && names.includes(r.query.get('x') ?? '')).slice(-6);
  expect(traced.map((r) => typeof r.headers.traceparent)).toEqual(Array(6).fill('string'));
});
