// A new user's app with another client library: axios (XHR and fetch adapters), ky, ofetch,
// eventsource-parser over fetch and a React 19 component, each streaming the real demo gateway's
// answer (cross-origin). The SDK is set up exactly as sdk/README.md says: for an npm app `init` in
// its own module imported first (one Vite build, split into chunks), or the script tag; the app
// code is unchanged. Each app must see the same answer with and without the SDK (tabs run side by
// side); each answer must be one `chat.message` trace holding the browser's `chat.stream` and the
// gateway's and model service's spans, with the context the request carried, the right outcome
// (`cancel` for the library's own abort) and chunk counts that match what the app received.
import { expect, test, type Page } from '@playwright/test';
import { startStack } from '../../demo-backend/dist/stack/start-stack.js';
import { bundleLibraryApps, startLibraryServer, type AnswerResult, type AppName, type Apps, type LibraryServer, type PageName } from './fixtures/library-pages.js';
import { gotoPage } from './fixtures/new-user-server.js';
import { descendsFrom, findSpan, waitForTrace, SPAN_KIND, type FlatSpan } from './fixtures/traces.js';

type Stack = Awaited<ReturnType<typeof startStack>>;
let stack: Stack;
let server: LibraryServer;

test.beforeAll(async () => {
  test.setTimeout(60_000);
  const [started, bundles] = await Promise.all([
    startStack({
      ports: { collector: 0, gateway: 0, vectorStore: 0, model: 0, modelGrpc: 0 },
      // Tokens 10–15 ms apart: an answer lasts long enough for axios' 3-per-second progress calls to stop it midway.
      env: { MODEL_TTFT_MS: '60', MODEL_TOKEN_DELAY_MS: '10', MODEL_JITTER_MS: '5' },
    }),
    bundleLibraryApps(),
  ]);
  stack = started;
  server = await startLibraryServer({
    bundles,
    gateway: stack.urls.gateway,
    config: { serviceName: 'library-apps', endpoint: `${stack.urls.collector}/v1/traces`, propagateTo: [stack.urls.gateway] },
  });
});

test.afterAll(async () => {
  await server?.close();
  await stack?.stop();
});

/** A question whose simulated answer stays under the 100 chunk events a stream keeps. */
const PROMPT = 'zzz qqq';
const STOP_AFTER = 5;

type Call = [AppName, string, number?];
type Sdk = { flush(): Promise<void>; session: { id: string } };
type PageWindow = {
  apps?: Apps;
  pageErrors: string[];
  st?: Sdk;
  Streamtrace?: { instance?: Sdk };
};

/**
 * Loads `/<name>.html` in a new tab (a session of its own: sessionStorage is per tab), runs the
 * calls in order, flushes the SDK; returns results and session id.
 */
async function runPage(opener: Page, name: PageName, calls: Call[]): Promise<{ results: AnswerResult[]; sessionId: string | undefined }> {
  const page = await opener.context().newPage();
  try {
    return await runInTab(page, name, calls);
  } finally {
    await page.close();
  }
}

async function runInTab(page: Page, name: PageName, calls: Call[]): Promise<{ results: AnswerResult[]; sessionId: string | undefined }> {
  await gotoPage(page, undefined, `${server.base}/${name}.html`);
  await page.waitForFunction(() => (window as unknown as PageWindow).apps !== undefined);
  const results = await page.evaluate(async ([list, prompt]) => {
    const apps = (window as unknown as PageWindow).apps!;
    const out: AnswerResult[] = [];
    for (const [name, run, stop] of list) out.push(await apps[name](run, prompt, stop));
    return out;
  }, [calls, PROMPT] as const);
  expect(await page.evaluate(() => (window as unknown as PageWindow).pageErrors)).toEqual([]);
  // A module that keeps fetch at load got the SDK's (init ran first), except where init came late.
  const keptCurrent = await page.evaluate(() => (window as unknown as { fetchAtAppLoad: unknown }).fetchAtAppLoad === window.fetch);
  expect(keptCurrent, `${name}: the apps' modules loaded after init`).toBe(name !== 'late');
  const sessionId = await page.evaluate(async () => {
    // A frame after the apps' last DOM change (frames lag under load), so paints are in before the flush.
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0))));
    const w = window as unknown as PageWindow;
    const st = w.st ?? w.Streamtrace?.instance;
    await st?.flush();
    return st?.session.id;
  });
  return { results, sessionId };
}

/** What must not depend on the SDK (the `start` event's ids are the gateway's view of the context). */
const visible = ({ start: _start, commits: _commits, progressCalls: _calls, bytes: _bytes, ...rest }: AnswerResult) => rest;

interface Traced {
  spans: FlatSpan[];
  message: FlatSpan;
  stream: FlatSpan;
  gatewayStream: FlatSpan;
}

/**
 * The answer's trace: one `chat.message` root with one `chat.stream` child; the gateway's HTTP
 * server span is the stream's child (the request carried the stream's traceparent), the gateway
 * and the app's `start` event saw the message's session and message ids, and the model service's
 * spans are in the same trace.
 */
async function traceOf(result: AnswerResult, transport: 'fetch' | 'xhr'): Promise<Traced> {
  expect(result.start, 'the app got the start event').not.toBeNull();
  const traceId = result.start!.traceId;
  const spans = await waitForTrace(stack.urls.collector, traceId, (s) =>
    ['chat.message', 'chat.stream', 'stream sse'].every((n) => s.some((x) => x.name === n)) &&
    s.some((x) => x.service === 'model-service' && x.name === 'chat sim-gpt-1'),
  );
  const messages = spans.filter((s) => s.name === 'chat.message');
  const streams = spans.filter((s) => s.name === 'chat.stream');
  expect(messages, 'one chat.message').toHaveLength(1);
  expect(streams, 'one chat.stream').toHaveLength(1);
  const message = messages[0]!;
  const stream = streams[0]!;
  expect(message.parentSpanId).toBe('');
  expect(stream.parentSpanId).toBe(message.spanId);
  expect(stream.kind).toBe(SPAN_KIND.CLIENT);
  expect(stream.attributes['streamtrace.stream.transport']).toBe(transport);
  expect(stream.attributes['url.full']).toBe(`${stack.urls.gateway}/api/chat`);
  expect(stream.attributes['http.request.method']).toBe('POST');
  expect(stream.attributes['http.response.status_code']).toBe(200);
  // The gateway's server span hangs under the browser stream: traceparent reached it.
  const gatewayServer = findSpan(spans, (s) => s.service === 'chat-gateway' && s.kind === SPAN_KIND.SERVER, 'gateway server span');
  expect(gatewayServer.parentSpanId).toBe(stream.spanId);
  const gatewayStream = findSpan(spans, (s) => s.service === 'chat-gateway' && s.name === 'stream sse', 'gateway stream sse');
  expect(descendsFrom(spans, gatewayStream, gatewayServer)).toBe(true);
  const modelChat = findSpan(spans, (s) => s.service === 'model-service' && s.name === 'chat sim-gpt-1', 'model chat span');
  expect(descendsFrom(spans, modelChat, stream)).toBe(true);
  // Session and message ids reached the gateway (headers) and came back in its start event.
  const sessionId = message.attributes['session.id'];
  const messageId = message.attributes['streamtrace.message.id'];
  expect(sessionId).toMatch(/^[\da-f]{32}$/);
  expect(messageId).toMatch(/^[\da-f]{32}$/);
  expect(result.start).toEqual({ traceId, sessionId, messageId });
  expect([gatewayStream.attributes['session.id'], gatewayStream.attributes['streamtrace.message.id']]).toEqual([sessionId, messageId]);
  return { spans, message, stream, gatewayStream };
}

/** A stream span's `chunk` events in index order: arrival, commit and paint (ms from the stream's open). */
const chunkEvents = (stream: FlatSpan): { index: number; arrival: number; commit?: number; paint?: number }[] =>
  stream.events
    .filter((e) => e.name === 'chunk')
    .map((e) => ({
      index: Number(e.attributes['streamtrace.chunk.index']),
      arrival: Number(e.attributes['streamtrace.chunk.arrival_ms']),
      commit: e.attributes['streamtrace.chunk.commit_ms'] as number | undefined,
      paint: e.attributes['streamtrace.chunk.paint_ms'] as number | undefined,
    }))
    .sort((a, b) => a.index - b.index);

/** Every kept chunk: arrivals in index order, arrival ≤ commit ≤ paint, no paint without a commit. */
function expectChunkOrder(stream: FlatSpan): void {
  const chunks = chunkEvents(stream);
  expect(chunks.length).toBeGreaterThan(0);
  chunks.forEach((c, i) => {
    expect(c.arrival, `chunk ${c.index} arrival`).toBeGreaterThanOrEqual(i > 0 ? chunks[i - 1]!.arrival : 0);
    if (c.commit !== undefined) expect(c.commit, `chunk ${c.index} commit`).toBeGreaterThanOrEqual(c.arrival);
    if (c.paint !== undefined) expect(c.paint, `chunk ${c.index} paint`).toBeGreaterThanOrEqual(c.commit ?? Infinity);
  });
}

/** A complete answer: complete everywhere, and (fetch) one chunk per SSE event the app received. */
async function expectComplete(result: AnswerResult, transport: 'fetch' | 'xhr'): Promise<Traced> {
  const traced = await traceOf(result, transport);
  expect(traced.stream.attributes['streamtrace.stream.outcome']).toBe('complete');
  expect(traced.message.attributes['streamtrace.message.outcome']).toBe('complete');
  expect(traced.gatewayStream.attributes['streamtrace.stream.outcome']).toBe('complete');
  expect(traced.gatewayStream.attributes['streamtrace.stream.events_sent']).toBe(result.events);
  expect(Number(traced.message.attributes['streamtrace.ttft_visible_ms'])).toBeGreaterThan(0);
  expect(Number(traced.stream.attributes['streamtrace.chunk.first_paint_ms'])).toBeGreaterThanOrEqual(Number(traced.stream.attributes['streamtrace.chunk.first_arrival_ms']));
  expectChunkOrder(traced.stream);
  if (transport === 'fetch') {
    expect(traced.stream.attributes['streamtrace.stream.chunks']).toBe(result.events);
    expect(result.events).toBe(result.done?.events);
  }
  return traced;
}

/** Stopped with the library's abort: cancel in the browser, and the gateway saw the client leave. */
async function expectCancelled(result: AnswerResult, transport: 'fetch' | 'xhr'): Promise<Traced> {
  const traced = await traceOf(result, transport);
  expect(traced.stream.attributes['streamtrace.stream.outcome']).toBe('cancel');
  expect(traced.message.attributes['streamtrace.message.outcome']).toBe('cancel');
  expect(traced.gatewayStream.attributes['streamtrace.stream.outcome']).toBe('cancel');
  const chunks = Number(traced.stream.attributes['streamtrace.stream.chunks']);
  const sent = Number(traced.gatewayStream.attributes['streamtrace.stream.events_sent']);
  expect(chunks).toBeLessThanOrEqual(sent);
  if (transport === 'fetch') expect(chunks).toBeGreaterThanOrEqual(result.events);
  else expect(chunks).toBeGreaterThanOrEqual(1);
  expectChunkOrder(traced.stream);
  return traced;
}

/** The native run streamed a whole answer (short enough that every chunk keeps its event). */
function expectWholeAnswer(result: AnswerResult): void {
  expect(result.ended).toBe('ok');
  expect(result.done?.finishReason).toBe('stop');
  expect(result.events).toBe(result.done?.events);
  expect(result.events).toBeLessThan(100);
  expect(result.deltas).toBeGreaterThan(20);
  expect(result.rendered).toBe(result.text);
  expect(result.start?.sessionId, 'no SDK: no session id reached the gateway').toBeNull();
}

/** Every answer of the page's session is its own chat.message trace, and nothing else is. */
async function expectOneTracePerAnswer(sessionId: string | undefined, results: AnswerResult[]): Promise<void> {
  expect(sessionId).toBeDefined();
  const list = async () => {
    const body = (await (await fetch(`${stack.urls.collector}/api/traces?sessionId=${sessionId}&limit=100`)).json()) as { traces: { traceId: string; rootName: string }[] };
    // Web-vitals reports are traces of their own; everything else of the session must be an answer.
    return body.traces.filter((t) => t.rootName !== 'browser.web_vitals').map((t) => `${t.rootName} ${t.traceId}`).sort();
  };
  await expect.poll(list).toEqual(results.map((r) => `chat.message ${r.start?.traceId}`).sort());
}

/** The SDK as the README sets it up: `init` in the app's first module, or the script tag. */
type Variant = 'esm' | 'script' | 'late';
const TRACED: Variant[] = ['esm', 'script'];

/** The calls without the SDK and in each traced variant, each in a tab of its own, at once or one after another. */
async function runAll(page: Page, calls: (variant: string) => Call[], variants: Variant[], together = true) {
  const names: PageName[] = ['plain', ...variants];
  const runs = together
    ? await Promise.all(names.map((n) => runPage(page, n, calls(n === 'plain' ? 'native' : n))))
    : await names.reduce<Promise<Awaited<ReturnType<typeof runPage>>[]>>(async (done, n) => [...(await done), await runPage(page, n, calls(n === 'plain' ? 'native' : n))], Promise.resolve([]));
  const [native, ...traced] = runs;
  return { native: native!.results, traced: traced.map((t, i) => ({ variant: variants[i]!, ...t })) };
}

test('axios: XHR adapter with onDownloadProgress and fetch adapter with responseType stream, stopped by its signal', async ({ page }) => {
  const calls = (v: string): Call[] => [
    ['axiosXhr', `xhr-${v}`],
    ['axiosFetch', `fetch-${v}`],
    ['axiosXhr', `xhr-stop-${v}`, STOP_AFTER],
    ['axiosFetch', `fetch-stop-${v}`, STOP_AFTER],
  ];
  // axios ships a browser build for a plain script tag too: both setups.
  const { native, traced: runs } = await runAll(page, calls, TRACED);
  expectWholeAnswer(native[0]!);
  expect(visible(native[1]!)).toEqual(visible(native[0]!));
  // XHR: axios's own CanceledError. Fetch: the aborted body read rejects with what the browser gives,
  // axios's CanceledError (the signal's reason) or an AbortError (Chromium 150); traced must match it.
  expect(native[2]!.ended).toBe('CanceledError');
  expect(['CanceledError', 'AbortError']).toContain(native[3]!.ended);
  for (const stopped of [native[2]!, native[3]!]) {
    expect(native[0]!.text.startsWith(stopped.textAtStop!)).toBe(true);
    expect(stopped.deltas).toBe(STOP_AFTER);
  }

  await Promise.all(runs.map(async ({ variant, results: traced, sessionId }) => {
    expect(visible(traced[0]!), variant).toEqual(visible(native[0]!));
    expect(visible(traced[1]!), variant).toEqual(visible(native[1]!));
    expect([traced[2]!.ended, traced[2]!.textAtStop, traced[3]!.ended, traced[3]!.textAtStop]).toEqual([native[2]!.ended, native[2]!.textAtStop, native[3]!.ended, native[3]!.textAtStop]);

    // XHR: a chunk is one progress event (axios hands the app at most 3 a second of them), not one
    // SSE event; the bytes are the whole body's.
    const [xhr] = await Promise.all([
      expectComplete(traced[0]!, 'xhr'),
      expectComplete(traced[1]!, 'fetch'),
      expectCancelled(traced[2]!, 'xhr'),
      expectCancelled(traced[3]!, 'fetch'),
      expectOneTracePerAnswer(sessionId, traced),
    ]);
    expect(xhr.stream.attributes['streamtrace.stream.bytes']).toBe(traced[0]!.bytes);
    expect(Number(xhr.stream.attributes['streamtrace.stream.chunks'])).toBeGreaterThanOrEqual(Math.max(1, traced[0]!.progressCalls!));
  }));
});

// ky and ofetch are ESM-only packages: their users bundle, so the README's npm setup.
test('ky: the body reader and onDownloadProgress, stopped by its signal', async ({ page }) => {
  const calls = (v: string): Call[] => [
    ['kyReader', `reader-${v}`],
    ['kyProgress', `progress-${v}`],
    ['kyReader', `stop-${v}`, STOP_AFTER],
  ];
  const { native, traced: [run] } = await runAll(page, calls, ['esm']);
  expectWholeAnswer(native[0]!);
  expect(visible(native[1]!)).toEqual(visible(native[0]!));
  expect(native[2]!.ended).toBe('AbortError');
  expect(native[0]!.text.startsWith(native[2]!.textAtStop!)).toBe(true);

  const traced = run!.results;
  expect(visible(traced[0]!)).toEqual(visible(native[0]!));
  expect(visible(traced[1]!)).toEqual(visible(native[1]!));
  expect([traced[2]!.ended, traced[2]!.textAtStop]).toEqual([native[2]!.ended, native[2]!.textAtStop]);
  await Promise.all([
    expectComplete(traced[0]!, 'fetch'),
    // ky reads a clone of the response for its progress callback: still one stream, one chunk per event.
    expectComplete(traced[1]!, 'fetch'),
    expectCancelled(traced[2]!, 'fetch'),
    expectOneTracePerAnswer(run!.sessionId, traced),
  ]);
});

test("ofetch responseType 'stream': traced after the README's setup (and even with init after the import), stopped by its signal", async ({ page }) => {
  const calls = (v: string): Call[] => (v === 'late' ? [['ofetchStream', 'ofetch-late']] : [
    ['ofetchStream', `ofetch-${v}`],
    ['ofetchStream', `ofetch-stop-${v}`, STOP_AFTER],
  ]);
  const { native, traced: [esm, late] } = await runAll(page, calls, ['esm', 'late']);
  expectWholeAnswer(native[0]!);
  expect(native[1]!.ended).toBe('AbortError');

  const traced = esm!.results;
  expect(visible(traced[0]!)).toEqual(visible(native[0]!));
  expect([traced[1]!.ended, traced[1]!.textAtStop]).toEqual([native[1]!.ended, native[1]!.textAtStop]);
  // ofetch's browser build looks up globalThis.fetch per call: even imported before init, it is traced.
  expect(visible(late!.results[0]!)).toEqual(visible(native[0]!));
  await Promise.all([
    expectComplete(traced[0]!, 'fetch'),
    expectCancelled(traced[1]!, 'fetch'),
    expectOneTracePerAnswer(esm!.sessionId, traced),
    expectComplete(late!.results[0]!, 'fetch'),
    expectOneTracePerAnswer(late!.sessionId, late!.results),
  ]);
});

test('eventsource-parser: EventSourceParserStream over fetch', async ({ page }) => {
  const { native, traced: runs } = await runAll(page, (v) => [['espStream', `esp-${v}`]], TRACED);
  expectWholeAnswer(native[0]!);
  await Promise.all(runs.map(async ({ variant, results: traced, sessionId }) => {
    expect(visible(traced[0]!), variant).toEqual(visible(native[0]!));
    await Promise.all([expectComplete(traced[0]!, 'fetch'), expectOneTracePerAnswer(sessionId, traced)]);
  }));
});

test('React 19: setState per chunk, committed by React later; chunk timing follows the real commits', async ({ page }) => {
  // One tab after another: paint timing wants the frames the other tabs would compete for.
  const { native, traced: runs } = await runAll(page, (v) => [['reactChat', `react-${v}`]], TRACED, false);
  expectWholeAnswer(native[0]!);

  for (const { variant, results: traced, sessionId } of runs) {
    const app = traced[0]!;
    expect(visible(app), variant).toEqual(visible(native[0]!));
    const [{ stream, message }] = await Promise.all([expectComplete(app, 'fetch'), expectOneTracePerAnswer(sessionId, traced)]);

    const commits = app.commits!;
    expect(commits.length, 'React committed during the stream').toBeGreaterThan(1);
    const openedAt = Number(stream.startNs) / 1e6; // epoch ms
    const chunks = chunkEvents(stream);
    expect(chunks.map((c) => c.index), 'one chunk event per chunk').toEqual(Array.from({ length: app.events }, (_, i) => i));

    // The chunks the page showed: those the app had received by its last commit.
    const shown = Math.max(...commits.map((c) => c.received));
    expect(stream.attributes['streamtrace.chunk.painted'], 'painted chunks = chunks the page showed').toBe(shown);
    for (const c of chunks) {
      // The app's commit that first held this chunk (React's own, in a later task than the read).
      const k = commits.findIndex((x) => x.received > c.index);
      if (k < 0) {
        expect([c.index, c.commit, c.paint], 'a chunk no commit showed has no commit or paint').toEqual([c.index, undefined, undefined]);
        continue;
      }
      expect(c.commit, `chunk ${c.index} commit`).toBeDefined();
      expect(c.paint, `chunk ${c.index} paint`).toBeDefined();
      expect(c.commit!, `chunk ${c.index}: arrival ≤ commit`).toBeGreaterThanOrEqual(c.arrival);
      expect(c.paint!, `chunk ${c.index}: commit ≤ paint`).toBeGreaterThanOrEqual(c.commit!);
      // Stamped at React's commit: not before it (1.5 ms: the SDK stamps a commit in the wall-clock
      // millisecond of the latest read with that read's time), and before React's next commit.
      expect(openedAt + c.commit!, `chunk ${c.index}: not before React's commit`).toBeGreaterThanOrEqual(commits[k]!.at - 1.5);
      if (k + 1 < commits.length) expect(openedAt + c.commit!, `chunk ${c.index}: before the next commit`).toBeLessThanOrEqual(commits[k + 1]!.at);
    }
    // React commits later than the read: not every commit is stamped at its chunk's arrival.
    expect(chunks.some((c) => c.commit !== undefined && c.commit > c.arrival)).toBe(true);
    // First paint attributes: the first visible chunk's.
    const firstVisible = chunks.find((c) => c.index === stream.attributes['streamtrace.chunk.first_visible_index']);
    expect(firstVisible?.paint).toBeDefined();
    expect(stream.attributes['streamtrace.chunk.first_paint_ms']).toBe(firstVisible!.paint);
    expect(stream.attributes['streamtrace.chunk.first_visible_arrival_ms']).toBe(firstVisible!.arrival);
    expect(Number(stream.attributes['streamtrace.chunk.first_paint_ms'])).toBeGreaterThanOrEqual(Number(stream.attributes['streamtrace.chunk.first_arrival_ms']));
    expect(Number(message.attributes['streamtrace.ttft_visible_ms'])).toBeGreaterThan(0);
  }
});
