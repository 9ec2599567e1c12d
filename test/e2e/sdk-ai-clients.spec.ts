// The guide's promise for the two most used LLM client libraries: after the script tag or
// `init(...)`, the real `openai` client and the Vercel AI SDK's chat client (`ai` v5,
// `AbstractChat` + `DefaultChatTransport`) are traced without changes. The app, bundled for the
// browser at test time, streams from real servers: the demo's OpenAI-compatible model service
// (through a same-origin relay: it has no CORS) and a route built with the AI SDK's own server
// helpers. The app must see exactly what it sees without the SDK; every answer is one
// `chat.message` → `chat.stream` trace with the streamed chunk count, paint timing, the app's
// stop as `cancel`, and the model service's spans in the same trace.
import { expect, test, type Page } from '@playwright/test';
import { startStack } from '../../demo-backend/dist/stack/start-stack.js';
import type { Apps, RunResult } from './fixtures/ai-app.js';
import { bundleAiApps } from './fixtures/ai-bundle.js';
import { AI_ANSWER_WORDS, startAiServer, type AiServer, type LoggedRequest } from './fixtures/ai-server.js';
import { gotoPage } from './fixtures/new-user-server.js';
import { descendsFrom, findSpan, waitForTrace, SPAN_KIND, type FlatSpan } from './fixtures/traces.js';

type Variant = 'native' | 'script' | 'esm';
type Stack = Awaited<ReturnType<typeof startStack>>;

let stack: Stack;
let server: AiServer;

test.beforeAll(async () => {
  test.setTimeout(60_000);
  const [started, bundles] = await Promise.all([
    startStack({ ports: { collector: 0, gateway: 0, vectorStore: 0, model: 0, modelGrpc: 0 }, env: { MODEL_TTFT_MS: '80' } }),
    bundleAiApps(),
  ]);
  stack = started;
  server = await startAiServer({ modelUrl: stack.urls.model, bundles });
  const guard = `<script>window.pageErrors = [];
    addEventListener('error', (e) => pageErrors.push(String(e.message)));
    addEventListener('unhandledrejection', (e) => pageErrors.push(String(e.reason && e.reason.stack || e.reason)));</script>`;
  const endpoint = `${stack.urls.collector}/v1/traces`;
  const propagateTo = [`${server.base}/v1`, `${server.base}/api`];
  server.setPage('/native.html', `<!doctype html><meta charset="utf-8"><body>${guard}<script type="module" src="/bundle/plain.js"></script></body>`);
  server.setPage(
    '/script.html',
    `<!doctype html><meta charset="utf-8"><body>${guard}
    <script src="/dist/streamtrace.iife.js" data-endpoint="${endpoint}" data-service-name="ai-clients-script"
      data-propagate-to="${propagateTo.join(',')}" data-sample-rate="1"></script>
    <script type="module" src="/bundle/plain.js"></script></body>`,
  );
  const config = { serviceName: 'ai-clients-esm', endpoint, propagateTo, sampleRate: 1 };
  server.setPage(
    '/esm.html',
    `<!doctype html><meta charset="utf-8"><body>${guard}
    <script>window.ST_CONFIG = ${JSON.stringify(config)};</script>
    <script type="module" src="/bundle/esm.js"></script></body>`,
  );
});

test.afterAll(async () => {
  await server?.close();
  await stack?.stop();
});

type PageWindow = { apps?: Apps; pageErrors: string[]; st?: { flush(): Promise<void> }; Streamtrace?: { instance?: { flush(): Promise<void> } } };

/** Loads the variant's page, runs `calls` (app method + arguments) in order, flushes the SDK. */
async function runPage(page: Page, variant: Variant, calls: [keyof Apps, ...unknown[]][]): Promise<RunResult[]> {
  await gotoPage(page, undefined, `${server.base}/${variant}.html`);
  await page.waitForFunction(() => (window as unknown as PageWindow).apps !== undefined);
  const results = await page.evaluate(async (list) => {
    const apps = (window as unknown as PageWindow).apps as unknown as Record<string, (...args: unknown[]) => Promise<RunResult>>;
    const out: RunResult[] = [];
    for (const [name, ...args] of list) out.push(await apps[name]!(...args));
    return out;
  }, calls);
  expect(await page.evaluate(() => (window as unknown as PageWindow).pageErrors)).toEqual([]);
  await page.evaluate(async () => {
    const w = window as unknown as PageWindow;
    await (w.st ?? w.Streamtrace?.instance)?.flush();
  });
  return results;
}

const requestOf = (run: string): LoggedRequest => {
  const found = server.requests.filter((r) => r.run === run);
  expect(found, `requests of ${run}`).toHaveLength(1);
  return found[0]!;
};

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

/** The run's trace from the dev collector, checked for the browser part every run must have. */
async function browserTrace(run: string, extra: (spans: FlatSpan[]) => boolean = () => true) {
  const request = requestOf(run);
  await expect.poll(() => request.closed, { message: `${run} response closed` }).toBe(true);
  const match = TRACEPARENT.exec(String(request.headers.traceparent));
  expect(match, `${run} traceparent`).not.toBeNull();
  const [, traceId, parentSpanId] = match!;
  const spans = await waitForTrace(
    stack.urls.collector,
    traceId!,
    (s) => s.some((x) => x.name === 'chat.message') && s.some((x) => x.name === 'chat.stream') && extra(s),
  );
  const message = findSpan(spans, (s) => s.name === 'chat.message', 'chat.message');
  const streams = spans.filter((s) => s.name === 'chat.stream');
  expect(streams, `${run}: one chat.stream`).toHaveLength(1);
  const stream = streams[0]!;
  expect(spans.filter((s) => s.name === 'chat.message'), `${run}: one chat.message`).toHaveLength(1);
  expect(message.parentSpanId).toBe('');
  expect(stream.parentSpanId).toBe(message.spanId);
  expect(stream.spanId, 'the request carried the chat.stream span as parent').toBe(parentSpanId);
  expect(stream.kind).toBe(SPAN_KIND.CLIENT);
  expect(stream.attributes['streamtrace.stream.transport']).toBe('fetch');
  expect(String(stream.attributes['url.full'])).toContain(request.path);
  // The ids the request carried are the message's.
  expect(request.headers['x-session-id']).toBe(message.attributes['session.id']);
  expect(request.headers['x-message-id']).toBe(message.attributes['streamtrace.message.id']);
  expect(message.attributes['session.id']).toMatch(/^[\da-f]{32}$/);
  expect(message.attributes['streamtrace.message.id']).toMatch(/^[\da-f]{32}$/);
  // Chunk events: an answer shorter than the event budget (100) keeps one event per chunk.
  const chunks = Number(stream.attributes['streamtrace.stream.chunks']);
  const indexes = stream.events.filter((e) => e.name === 'chunk').map((e) => Number(e.attributes['streamtrace.chunk.index']));
  expect(new Set(indexes).size).toBe(indexes.length);
  expect(indexes).toContain(0);
  expect(indexes.every((i) => Number.isInteger(i) && i >= 0 && i < chunks)).toBe(true);
  expect(indexes.length + Number(stream.attributes['streamtrace.chunk.events_dropped'])).toBe(chunks);
  if (chunks < 100) expect([...indexes].sort((a, b) => a - b)).toEqual(Array.from({ length: chunks }, (_, i) => i));
  return { spans, message, stream, request, chunks };
}

function expectPainted(message: FlatSpan, stream: FlatSpan): void {
  const firstPaint = Number(stream.attributes['streamtrace.chunk.first_paint_ms']);
  expect(firstPaint).toBeGreaterThanOrEqual(Number(stream.attributes['streamtrace.chunk.first_arrival_ms']));
  expect(Number(message.attributes['streamtrace.ttft_visible_ms'])).toBeGreaterThan(0);
}

const PROMPT = 'How does token streaming reach the browser?';

test('OpenAI client (openai@6): for-await stream, stream.controller.abort() and an AbortSignal — unchanged for the app, traced into the model service', async ({ page }) => {
  const calls = (v: Variant): [keyof Apps, ...unknown[]][] => [
    ['openaiStream', `oa-${v}`, PROMPT],
    ['openaiAbort', `oa-ctl-${v}`, PROMPT, 3, 'controller'],
    ['openaiAbort', `oa-sig-${v}`, PROMPT, 3, 'signal'],
  ];
  const native = await runPage(page, 'native', calls('native'));
  // The native run really streamed a multi-chunk answer and stopped the others after 3 chunks.
  expect(native[0]!.items).toBeGreaterThan(5);
  expect(native[0]!.finishReason).toBe('stop');
  expect(native[1]!.items).toBe(3);
  expect(native[2]!.items).toBe(3);
  for (const run of ['oa', 'oa-ctl', 'oa-sig']) {
    const headers = requestOf(`${run}-native`).headers;
    expect([headers.traceparent, headers['x-session-id'], headers['x-message-id']]).toEqual([undefined, undefined, undefined]);
  }

  for (const variant of ['script', 'esm'] as const) {
    const traced = await runPage(page, variant, calls(variant));
    expect(traced, `${variant}: the app saw what it sees without the SDK`).toEqual(native);

    // Complete answer: every SSE event the model sent (the app's chunks + `[DONE]`) is a chunk.
    const full = await browserTrace(`oa-${variant}`, (s) => s.some((x) => x.service === 'model-service' && x.name.startsWith('chat ')));
    expect(full.request.events).toBe(native[0]!.items + 1);
    expect(full.chunks).toBe(full.request.events);
    expect(full.stream.attributes['streamtrace.stream.outcome']).toBe('complete');
    expect(full.message.attributes['streamtrace.message.outcome']).toBe('complete');
    expect(full.stream.attributes['http.response.status_code']).toBe(200);
    expectPainted(full.message, full.stream);
    // The model service joined the browser's trace: its HTTP server span is the chat.stream's child.
    const server = findSpan(full.spans, (s) => s.service === 'model-service' && s.kind === SPAN_KIND.SERVER, 'model-service server span');
    expect(server.parentSpanId).toBe(full.stream.spanId);
    const chat = findSpan(full.spans, (s) => s.service === 'model-service' && s.name === 'chat sim-gpt-1', 'model chat span');
    expect(descendsFrom(full.spans, chat, server)).toBe(true);
    expect(chat.attributes['streamtrace.stream.outcome']).toBe('complete');

    // Aborted mid-stream (either way): cancel in the browser, the model saw the client leave.
    for (const run of [`oa-ctl-${variant}`, `oa-sig-${variant}`]) {
      const cut = await browserTrace(run, (s) => s.some((x) => x.service === 'model-service' && x.name === 'chat sim-gpt-1'));
      expect(cut.request.clientLeft, `${run}: the abort closed the connection`).toBe(true);
      expect(cut.chunks).toBeGreaterThanOrEqual(3);
      expect(cut.chunks).toBeLessThanOrEqual(cut.request.events);
      expect(cut.stream.attributes['streamtrace.stream.outcome'], run).toBe('cancel');
      expect(cut.message.attributes['streamtrace.message.outcome'], run).toBe('cancel');
      expectPainted(cut.message, cut.stream);
      const modelChat = findSpan(cut.spans, (s) => s.service === 'model-service' && s.name === 'chat sim-gpt-1', 'model chat span');
      expect(modelChat.attributes['streamtrace.stream.outcome']).toBe('cancel');
    }
  }
});

test('Vercel AI SDK (ai@5): AbstractChat + DefaultChatTransport against a UI message stream route, and chat.stop() — unchanged, traced', async ({ page }) => {
  const calls = (v: Variant): [keyof Apps, ...unknown[]][] => [
    ['aiChat', `ai-${v}`, PROMPT],
    ['aiStop', `ai-stop-${v}`, PROMPT, 40],
  ];
  const native = await runPage(page, 'native', calls('native'));
  expect(native[0]).toMatchObject({ text: AI_ANSWER_WORDS.join(''), status: 'ready', isAbort: false, ended: 'ok' });
  expect(native[1]).toMatchObject({ status: 'ready', isAbort: true, ended: 'ok' });
  const longAnswer = AI_ANSWER_WORDS.join('').repeat(4);
  expect(longAnswer.startsWith(native[1]!.text)).toBe(true);
  expect(native[1]!.text.startsWith(native[1]!.textAtStop!)).toBe(true);
  for (const run of ['ai-native', 'ai-stop-native']) {
    const headers = requestOf(run).headers;
    expect([headers.traceparent, headers['x-session-id'], headers['x-message-id']]).toEqual([undefined, undefined, undefined]);
  }

  for (const variant of ['script', 'esm'] as const) {
    const traced = await runPage(page, variant, calls(variant));
    expect(traced[0], `${variant}: the app saw what it sees without the SDK`).toEqual(native[0]);
    // Where the stop lands depends on timing; how the app's chat ended does not.
    const { text, textAtStop, items, ...stopped } = traced[1]!;
    const { text: _t, textAtStop: _s, items: _i, ...nativeStopped } = native[1]!;
    expect(stopped).toEqual(nativeStopped);
    expect(textAtStop!.length).toBeGreaterThanOrEqual(40);
    expect(text.startsWith(textAtStop!) && longAnswer.startsWith(text)).toBe(true);
    expect(items).toBeGreaterThan(2);

    // start, text-start, 24 text-deltas, text-end, finish and [DONE]: each SSE event a chunk.
    const full = await browserTrace(`ai-${variant}`);
    expect(full.request.events).toBe(AI_ANSWER_WORDS.length + 5);
    expect(full.chunks).toBe(full.request.events);
    expect(full.stream.attributes['streamtrace.stream.outcome']).toBe('complete');
    expect(full.message.attributes['streamtrace.message.outcome']).toBe('complete');
    expect(full.stream.attributes['http.request.method']).toBe('POST');
    expectPainted(full.message, full.stream);

    const cut = await browserTrace(`ai-stop-${variant}`);
    expect(cut.request.clientLeft, 'stop() closed the connection').toBe(true);
    expect(cut.chunks).toBeGreaterThan(3);
    expect(cut.chunks).toBeLessThanOrEqual(cut.request.events);
    expect(cut.stream.attributes['streamtrace.stream.outcome']).toBe('cancel');
    expect(cut.message.attributes['streamtrace.message.outcome']).toBe('cancel');
    expectPainted(cut.message, cut.stream);
  }
});
