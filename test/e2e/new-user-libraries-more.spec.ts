// More of a new user's client libraries, each app written as the library's docs show, bundled from
// node_modules, with no Streamtrace code: sse.js (XHR, POST + Authorization), extended-eventsource
// and fetch readers that abort right after the last event or with the rest unread, the Anthropic
// SDK in the browser, and socket.io-client with its polling → WebSocket upgrade. The same bundle
// runs in a page without the SDK and in a page after the README's script tag, side by side: the
// app must see exactly the same (events, errors, close, console) and the SDK page must hold what
// was traced — the context the server saw and one `chat.stream` per stream with the outcome and
// the chunks the app got.
import { expect, test, type Page } from '@playwright/test';
import {
  ANTHROPIC_DELTAS,
  ANTHROPIC_PAUSE_AFTER,
  SSE_DELTAS,
  anthropicText,
  bundleMoreLibraryApps,
  sseText,
  startMoreLibraryServer,
  type ApiRequest,
  type AppName,
  type MoreLibraryServer,
  type PageName,
} from './fixtures/more-library-pages.js';
import { gotoPage } from './fixtures/new-user-server.js';
import { SPAN_KIND, type FlatSpan } from './fixtures/traces.js';

let server: MoreLibraryServer;

test.beforeAll(async () => {
  test.setTimeout(60_000);
  server = await startMoreLibraryServer({ bundles: await bundleMoreLibraryApps(), serviceName: 'more-library-apps' });
});

test.afterAll(async () => {
  await server?.close();
});

/** A WebSocket the browser opened, as DevTools saw it: the URL requested and the frames received. */
interface SeenSocket {
  url: string;
  framesReceived: number;
  closed: boolean;
}

interface Tab {
  name: PageName;
  page: Page;
  /** Console errors and warnings, and uncaught errors. */
  console: string[];
  sockets: SeenSocket[];
}

type PageWindow = { apps: Record<AppName, (...args: unknown[]) => Promise<unknown>>; pageErrors: string[]; Streamtrace?: { instance?: { flush(): Promise<void> } } };

async function openTab(opener: Page, name: PageName): Promise<Tab> {
  const page = await opener.context().newPage();
  const tab: Tab = { name, page, console: [], sockets: [] };
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') tab.console.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => tab.console.push(`pageerror: ${error.message}`));
  page.on('websocket', (ws) => {
    const seen: SeenSocket = { url: ws.url(), framesReceived: 0, closed: false };
    tab.sockets.push(seen);
    ws.on('framereceived', () => seen.framesReceived++);
    ws.on('close', () => (seen.closed = true));
  });
  await gotoPage(page, undefined, `${server.base}/${name}.html`);
  await page.waitForFunction(() => (window as unknown as PageWindow).apps !== undefined);
  return tab;
}

const runApp = <T>(tab: Tab, app: AppName, ...args: unknown[]): Promise<T> =>
  tab.page.evaluate(([name, list]) => (window as unknown as PageWindow).apps[name](...list), [app, args] as const) as Promise<T>;

/**
 * Runs `calls` in a page without the SDK and in the script-tag page at once (a tab each); then
 * checks neither page had an uncaught error, flushes the SDK and closes the tabs.
 */
async function sideBySide<T>(opener: Page, calls: (tab: Tab) => Promise<T>): Promise<{ plain: T; traced: T; tabs: { plain: Tab; traced: Tab } }> {
  const [plain, traced] = await Promise.all((['plain', 'script'] as const).map((n) => openTab(opener, n)));
  try {
    const [a, b] = await Promise.all([calls(plain!), calls(traced!)]);
    for (const tab of [plain!, traced!]) {
      await expect.poll(() => tab.sockets.every((s) => s.closed), `${tab.name}: its WebSockets closed`).toBe(true);
      expect(await tab.page.evaluate(() => (window as unknown as PageWindow).pageErrors), `${tab.name}: page errors`).toEqual([]);
    }
    expect(await traced!.page.evaluate(() => typeof (window as unknown as PageWindow).Streamtrace?.instance), 'the script tag started the SDK').toBe('object');
    await traced!.page.evaluate(() => (window as unknown as PageWindow).Streamtrace!.instance!.flush());
    return { plain: a, traced: b, tabs: { plain: plain!, traced: traced! } };
  } finally {
    await Promise.all([plain!.page.close(), traced!.page.close()]);
  }
}

const TRACEPARENT = /^00-([\da-f]{32})-([\da-f]{16})-01$/;

/** The one request of `run` the server got. */
function requestOf(run: string): ApiRequest {
  const found = server.requests.filter((r) => r.run === run);
  expect(found, `one request for ${run}`).toHaveLength(1);
  return found[0]!;
}

/**
 * The `chat.stream` span whose context the server saw (`traceparent` = trace id and the stream's
 * span id), after checking its trace is exactly that stream under its own `chat.message`.
 */
async function streamOf(traceparent: string): Promise<{ stream: FlatSpan; message: FlatSpan }> {
  const [, traceId, spanId] = TRACEPARENT.exec(traceparent) ?? [];
  expect(traceId, `a sampled W3C traceparent reached the server: ${traceparent}`).toBeDefined();
  const trace = (): FlatSpan[] => server.spans().filter((s) => s.traceId === traceId);
  await expect.poll(() => trace().map((s) => s.name).sort(), 'the trace: one chat.message holding one chat.stream').toEqual(['chat.message', 'chat.stream']);
  const stream = trace().find((s) => s.name === 'chat.stream')!;
  const message = trace().find((s) => s.name === 'chat.message')!;
  expect(stream.spanId, 'the server got the stream span as parent').toBe(spanId);
  expect(stream.parentSpanId).toBe(message.spanId);
  expect(message.parentSpanId).toBe('');
  expect(stream.kind).toBe(SPAN_KIND.CLIENT);
  expect(stream.service).toBe('more-library-apps');
  return { stream, message };
}

test('sse.js: POST with Authorization over XHR to a server that does not expose its trace headers — same events, no console errors, one chat.stream', async ({ page }) => {
  type Result = { log: unknown[]; text: string; progressEvents: number; ended: string };
  const { plain, traced, tabs } = await sideBySide(page, async (tab) => [
    await runApp<Result>(tab, 'ssejsChat', `ssejs-${tab.name}`, false),
    await runApp<Result>(tab, 'ssejsChat', `ssejs-exposed-${tab.name}`, true),
  ]);
  const messages = Array.from({ length: SSE_DELTAS }, (_, i) => ['message', String(i)]);
  const expected = (headers: string[]) => [
    ['readyState', 0],
    ['open', 200, headers],
    ['readyState', 1],
    ...messages.slice(0, 3),
    ['usage', '{"inputTokens":4}'],
    ...messages.slice(3),
    ['done', `{"events":${SSE_DELTAS + 2}}`],
    ['readyState', 2],
  ];
  // What the app can read of the response headers: the safelisted ones, plus the exposed ones.
  expect(plain[0]!.log).toEqual(expected(['cache-control', 'content-type']));
  expect(plain[1]!.log).toEqual(expected(['cache-control', 'content-type', 'server-timing', 'traceparent', 'x-trace-id']));
  for (const [i, result] of plain.entries()) {
    expect([result.text, result.ended]).toEqual([sseText(SSE_DELTAS), 'closed']);
    // The progress event count varies with timing; the rest must not depend on the SDK.
    const { progressEvents: _p, ...rest } = traced[i]!;
    const { progressEvents: _q, ...native } = result;
    expect(rest).toEqual(native);
    expect(result.progressEvents, 'several progress events: the answer streamed').toBeGreaterThan(1);
  }
  // Chromium logs "Refused to get unsafe header" for each getResponseHeader() of an unexposed header.
  expect(tabs.traced.console, 'no console output of the SDK').toEqual(tabs.plain.console);
  expect(tabs.plain.console).toEqual([]);

  for (const [i, run] of ['ssejs', 'ssejs-exposed'].entries()) {
    const native = requestOf(`${run}-plain`);
    const seen = requestOf(`${run}-script`);
    expect(native.headers.traceparent, 'no SDK, no traceparent').toBeUndefined();
    // The app's request reached the server as sent, plus the context.
    for (const request of [native, seen]) {
      expect([request.method, request.headers.authorization, request.headers['content-type'], request.body]).toEqual(['POST', 'Bearer sk-test-ssejs', 'application/json', '{"prompt":"Tell me a story"}']);
    }
    expect(seen.headers['x-session-id']).toMatch(/^[\da-f]{32}$/);
    const { stream, message } = await streamOf(String(seen.headers.traceparent));
    expect(stream.attributes['streamtrace.stream.transport']).toBe('xhr');
    expect(stream.attributes['http.request.method']).toBe('POST');
    expect(stream.attributes['url.full']).toBe(`${server.api}/sse?run=${run}-script${i === 1 ? '&expose=1' : ''}`);
    expect(stream.attributes['http.response.status_code']).toBe(200);
    expect(stream.attributes['streamtrace.stream.outcome']).toBe('complete');
    expect(message.attributes['streamtrace.message.outcome']).toBe('complete');
    // One chunk per progress event of the XHR (the app counted them too), every byte the server sent.
    expect(stream.attributes['streamtrace.stream.chunks']).toBe(traced[i]!.progressEvents);
    expect(stream.attributes['streamtrace.stream.bytes']).toBe(seen.bytesSent);
    expect(seen.eventsSent).toBe(SSE_DELTAS + 2);
    if (i === 0) {
      // Unexposed: the page cannot read the server's context, so the span has none.
      expect(Object.keys(stream.attributes).filter((k) => k.startsWith('streamtrace.server'))).toEqual([]);
    } else {
      expect(stream.attributes['streamtrace.server.trace_id']).toBe(stream.traceId);
      expect(stream.attributes['streamtrace.server_timing.llm_ms']).toBe(42.5);
    }
    expect(JSON.stringify(stream.attributes), 'the Authorization header is never recorded').not.toContain('sk-test');
  }
});

/** Runs of each abort app per tab: whether the SDK handed over the end first is a matter of timing. */
const ABORT_RUNS = 3;

test('extended-eventsource closing on its last event, and fetch readers aborting after the last event or with the rest unread: no error after close(), same log', async ({ page }) => {
  type Result = { log: unknown[]; text?: string };
  const { plain, traced, tabs } = await sideBySide(page, async (tab) => {
    const out: Result[] = [];
    for (let k = 0; k < ABORT_RUNS; k++) {
      out.push(await runApp<Result>(tab, 'extendedChat', `ees${k}-${tab.name}`));
      out.push(await runApp<Result>(tab, 'abortAfterLast', `abort${k}-${tab.name}`));
    }
    return { runs: out, stop: await runApp<Result>(tab, 'stopWithUnread', `stop-${tab.name}`) };
  });
  const all = SSE_DELTAS + 1;
  const closed = {
    log: [['open', 1], ...Array.from({ length: SSE_DELTAS }, (_, i) => ['message', String(i)]), ['done', `{"events":${all}}`], ['closed', 2]],
    text: sseText(SSE_DELTAS),
  };
  // The server ends the body in the same write as the last event. Natively an abort in the task
  // that delivered the last event fails the next read (the browser takes in the end a task later),
  // so the app sees no end: no `error` event after close(), no "done" read. Natively, on a loaded
  // machine the browser sometimes takes in the end together with the last event (then the read
  // says done and extended-eventsource fires `error` after close(): its reconnect path).
  const aborted = { log: [['response', 200], ['aborted after the last event'], ['read failed', 'AbortError'], ['events', all]] };
  const endFirst = [{ ...closed, log: [...closed.log, ['error', 2]] }, { log: [['response', 200], ['aborted after the last event'], ['read done'], ['events', all]] }];
  plain.runs.forEach((result, i) => expect([[closed, aborted][i % 2], endFirst[i % 2]], `native run ${i}`).toContainEqual(result));
  // With the SDK: exactly the native app's usual log, every time.
  traced.runs.forEach((result, i) => expect(result, `run ${i} with the SDK: no error event, no "done" read after the abort`).toEqual([closed, aborted][i % 2]));
  // Stopped with the rest of the answer (and its end) arrived but unread: natively the next read
  // fails, nothing of the rest is handed over.
  expect(plain.stop).toEqual({ log: [['response', 200], ['read', 'bytes'], ['stopped'], ['read failed', 'AbortError']] });
  expect(traced.stop, 'no bytes read ahead handed over after the abort').toEqual(plain.stop);
  // No console output with the SDK (extended-eventsource warns when it reconnects after an end).
  expect(tabs.traced.console).toEqual([]);
  expect(tabs.plain.console.filter((line) => !line.startsWith('warning: Error occurred in EventSource'))).toEqual([]);

  for (let k = 0; k < ABORT_RUNS; k++) {
    for (const run of [`ees${k}`, `abort${k}`]) {
      expect(requestOf(`${run}-plain`).headers.traceparent).toBeUndefined();
      const seen = requestOf(`${run}-script`);
      expect(seen.headers.authorization).toMatch(/^Bearer sk-test-/);
      expect([seen.eventsSent, seen.clientLeft]).toEqual([all, false]);
      const { stream, message } = await streamOf(String(seen.headers.traceparent));
      expect(stream.attributes['streamtrace.stream.transport']).toBe('fetch');
      expect(stream.attributes['url.full']).toBe(`${server.api}/events?run=${run}-script`);
      // One chunk per SSE event: the app received all of them before it stopped.
      expect(stream.attributes['streamtrace.stream.chunks']).toBe(all);
      expect(stream.attributes['streamtrace.stream.bytes']).toBe(seen.bytesSent);
      // The body ended and the app aborted at about the same moment: whichever the SDK saw first.
      expect(['complete', 'cancel']).toContain(stream.attributes['streamtrace.stream.outcome']);
      expect(message.attributes['streamtrace.message.outcome']).toBe(stream.attributes['streamtrace.stream.outcome']);
    }
  }
  const stopped = requestOf('stop-script');
  expect([stopped.eventsSent, stopped.clientLeft]).toEqual([all, false]);
  const { stream, message } = await streamOf(String(stopped.headers.traceparent));
  expect(stream.attributes['url.full']).toBe(`${server.api}/events?burst=1&run=stop-script`);
  // Every event reached the browser (the SDK counts them as they arrive); the user stopped the answer.
  expect(stream.attributes['streamtrace.stream.chunks']).toBe(all);
  expect([stream.attributes['streamtrace.stream.outcome'], message.attributes['streamtrace.message.outcome']]).toEqual(['cancel', 'cancel']);
});

test('@anthropic-ai/sdk in the browser: messages.stream, create({ stream: true }) and stream.abort() — same text, one chat.stream each', async ({ page }) => {
  type Result = { events: string[]; text: string; ended: string; final?: unknown[]; abortEvent?: string | null };
  const { plain, traced, tabs } = await sideBySide(page, async (tab) => [
    await runApp<Result>(tab, 'messagesStream', `anthropic-stream-${tab.name}`),
    await runApp<Result>(tab, 'createStream', `anthropic-create-${tab.name}`),
    await runApp<Result>(tab, 'streamAbort', `anthropic-abort-${tab.name}`, ANTHROPIC_PAUSE_AFTER),
  ]);
  const deltas = (n: number): string[] => Array.from({ length: n }, () => 'content_block_delta');
  const whole = ['message_start', 'content_block_start', ...deltas(ANTHROPIC_DELTAS), 'content_block_stop', 'message_delta', 'message_stop'];
  expect(plain[0]).toEqual({ events: whole, text: anthropicText(ANTHROPIC_DELTAS), final: [anthropicText(ANTHROPIC_DELTAS), 'end_turn', ANTHROPIC_DELTAS], ended: 'ok' });
  expect(plain[1]).toEqual({ events: whole, text: anthropicText(ANTHROPIC_DELTAS), ended: 'ok' });
  expect(plain[2]).toEqual({
    events: ['message_start', 'content_block_start', ...deltas(ANTHROPIC_PAUSE_AFTER)],
    text: anthropicText(ANTHROPIC_PAUSE_AFTER),
    abortEvent: 'APIUserAbortError',
    ended: 'APIUserAbortError',
  });
  expect(traced).toEqual(plain);
  expect(tabs.traced.console).toEqual(tabs.plain.console);
  expect(tabs.plain.console).toEqual([]);

  // Events on the wire: message_start, content_block_start and ping, the deltas, then three closing events.
  const calls = [
    { run: 'anthropic-stream', outcome: 'complete', sent: ANTHROPIC_DELTAS + 6 },
    { run: 'anthropic-create', outcome: 'complete', sent: ANTHROPIC_DELTAS + 6 },
    { run: 'anthropic-abort', outcome: 'cancel', sent: ANTHROPIC_PAUSE_AFTER + 3 },
  ];
  for (const { run, outcome, sent } of calls) {
    expect(requestOf(`${run}-plain`).headers.traceparent).toBeUndefined();
    const seen = requestOf(`${run}-script`);
    for (const request of [requestOf(`${run}-plain`), seen]) {
      expect([request.headers.authorization, request.headers['anthropic-dangerous-direct-browser-access']]).toEqual(['Bearer sk-ant-test', 'true']);
    }
    expect([seen.eventsSent, seen.clientLeft], `${run}: events the server sent, and whether the client left`).toEqual([sent, outcome === 'cancel']);
    const { stream, message } = await streamOf(String(seen.headers.traceparent));
    expect(stream.attributes['streamtrace.stream.transport']).toBe('fetch');
    expect(stream.attributes['url.full']).toBe(`${server.api}/v1/messages`);
    expect(stream.attributes['http.response.status_code']).toBe(200);
    expect([stream.attributes['streamtrace.stream.outcome'], message.attributes['streamtrace.message.outcome']], run).toEqual([outcome, outcome]);
    // One chunk per SSE event (ping included: the SDK sees the wire, the app's iterator skips it).
    expect(stream.attributes['streamtrace.stream.chunks'], `${run}: chunks`).toBe(sent);
    expect(stream.attributes['streamtrace.stream.bytes']).toBe(seen.bytesSent);
  }
});

test('socket.io-client with the polling → WebSocket upgrade: acks, binary, reconnects — same log, no console errors, each WebSocket traced frame for frame', async ({ page }) => {
  const { plain, traced, tabs } = await sideBySide(page, (tab) => runApp<{ log: unknown[] }>(tab, 'socketChat', `socketio-${tab.name}`));
  const chat = (label: string) => ['chat', label, { ok: true, length: `hello ${label}`.length }, Array.from({ length: 12 }, (_, i) => `t${i} `).join(''), { deltas: 12 }];
  const connected = [['connect'], ['upgraded', 'websocket']];
  expect(plain.log).toEqual([
    ...connected,
    chat('first'),
    ['binary', { length: 5000, sum: Array.from({ length: 5000 }, (_, i) => i % 253).reduce((s, b) => (s + b) % 65536, 0) }, ['ArrayBuffer', 70_000, Array.from({ length: 70_000 }, (_, i) => i % 251).reduce((s, b) => (s + b) % 65536, 0), 'tail']],
    ['disconnect', 'transport close'],
    ['reconnect', 1],
    ...connected,
    chat('after-reconnect'),
    ['disconnect', 'io server disconnect'],
    ...connected,
    chat('after-manual-reconnect'),
    ['disconnect', 'io client disconnect'],
    ['closed', false],
  ]);
  expect(traced.log).toEqual(plain.log);
  // The polling requests are traced XHRs of a server that exposes no trace headers.
  expect(tabs.traced.console).toEqual(tabs.plain.console);
  expect(tabs.plain.console).toEqual([]);

  // Three WebSockets (one per connection), each with its context as query parameters.
  expect(tabs.plain.sockets).toHaveLength(3);
  expect(tabs.traced.sockets).toHaveLength(3);
  const upgrades = (name: PageName): string[] => server.upgrades.filter((u) => u.includes(`run=socketio-${name}&`));
  expect(upgrades('plain')).toHaveLength(3);
  expect(upgrades('plain').every((u) => !u.includes('traceparent='))).toBe(true);
  expect(upgrades('script').map((u) => `${server.api.replace('http', 'ws')}${u}`)).toEqual(tabs.traced.sockets.map((s) => s.url));
  for (const socket of tabs.traced.sockets) {
    const params = new URL(socket.url).searchParams;
    expect(params.get('transport')).toBe('websocket');
    expect(params.get('session_id')).toMatch(/^[\da-f]{32}$/);
    expect(params.get('message_id')).toMatch(/^[\da-f]{32}$/);
    const { stream } = await streamOf(params.get('traceparent') ?? '');
    expect(stream.attributes['streamtrace.stream.transport']).toBe('websocket');
    expect(stream.attributes['streamtrace.stream.outcome']).toBe('complete');
    // Context parameters are not part of the recorded URL; the connection's own ones are.
    expect(String(stream.attributes['url.full'])).toContain(`sid=${params.get('sid')}`);
    expect(String(stream.attributes['url.full'])).not.toContain('traceparent');
    expect(socket.framesReceived, 'frames received (probe, acks, deltas, binary attachments)').toBeGreaterThan(10);
    expect(stream.attributes['streamtrace.stream.chunks'], 'one chunk per frame the page received').toBe(socket.framesReceived);
  }
});
