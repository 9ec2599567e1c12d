// Servers for the hardening specs: an app server (pages, the built SDK, third-party client
// modules, POST-SSE / EventSource / WebSocket chat endpoints) and a separate-origin OTLP
// collector whose behaviour each test controls. Both listen on port 0.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { WebSocketServer } from 'ws';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const statics: Record<string, string> = {
  '/dist/': join(root, 'sdk', 'dist'),
  '/vendor/fes/': join(root, 'node_modules', '@microsoft', 'fetch-event-source', 'lib', 'esm'),
  '/vendor/rws/': join(root, 'node_modules', 'reconnecting-websocket', 'dist'),
};

export type Attr = { key: string; value: Record<string, unknown> };
export type OtlpSpan = {
  name: string; traceId: string; spanId: string; parentSpanId?: string;
  attributes?: Attr[]; events?: { name: string; attributes?: Attr[] }[]; status?: { code?: number; message?: string };
};
export const attr = (span: OtlpSpan | { attributes?: Attr[] }, key: string): unknown => {
  const value = span.attributes?.find((a) => a.key === key)?.value;
  return value === undefined ? undefined : Object.values(value)[0];
};

export interface AppRequest { path: string; query: URLSearchParams; headers: IncomingMessage['headers']; body: string }

async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBytes(req)).toString('utf8');
}

async function readBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Answer text of delta `i`; tests search exported spans for it. */
export const answerText = (i: number): string => `ANSWER-SECRET-${i} `;

/** The app: `/chat` (POST → SSE), `/sse` (GET EventSource), `/ws` (WebSocket). `?count=&delay=` shape the stream. */
export async function startApp(): Promise<{ base: string; requests: AppRequest[]; setPage(path: string, html: string): void; close(): Promise<void> }> {
  const pages: Record<string, string> = {};
  const requests: AppRequest[] = [];
  const streamTo = (res: ServerResponse, url: URL, onClose: (fn: () => void) => void): void => {
    const count = Number(url.searchParams.get('count') ?? 5);
    const delay = Number(url.searchParams.get('delay') ?? 20);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    let i = 0;
    const timer = setInterval(() => {
      if (i < count) {
        res.write(`id: ${i}\ndata: ${JSON.stringify({ type: 'delta', index: i, text: answerText(i) })}\n\n`);
        i++;
        return;
      }
      clearInterval(timer);
      res.write(`data: ${JSON.stringify({ type: 'done', finishReason: 'stop', events: count + 1 })}\n\n`);
      res.end();
    }, delay);
    onClose(() => clearInterval(timer));
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let body = '';
    try {
      if (req.method === 'POST') body = await readBody(req);
    } catch {
      // The page went away mid-body (a test closing its page): not the next test's failure.
      return void res.destroy();
    }
    requests.push({ path: url.pathname, query: url.searchParams, headers: req.headers, body });
    for (const [prefix, dir] of Object.entries(statics)) {
      if (!url.pathname.startsWith(prefix)) continue;
      let file = normalize(join(dir, url.pathname.slice(prefix.length)));
      if (!file.startsWith(dir)) return void res.writeHead(403).end();
      if (!/\.[a-z]+$/.test(file)) file += '.js'; // fetch-event-source's ESM imports './fetch'
      try {
        return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(await readFile(file));
      } catch {
        return void res.writeHead(404).end();
      }
    }
    if (pages[url.pathname] !== undefined) return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pages[url.pathname]);
    if (url.pathname === '/chat' || url.pathname === '/sse') return streamTo(res, url, (fn) => req.on('close', fn));
    res.writeHead(404).end('not found');
  });
  const wss = new WebSocketServer({ server, path: '/ws' });
  let drops = 0;
  wss.on('connection', (socket, req) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push({ path: url.pathname, query: url.searchParams, headers: req.headers, body: '' });
    socket.on('message', (data) => {
      const text = data.toString();
      requests.push({ path: '/ws#frame', query: url.searchParams, headers: req.headers, body: text });
      // `{"drop":true}` once: the server goes away abruptly (clients that reconnect do so).
      if (text.includes('"drop":true') && drops++ === 0) return void socket.terminate();
      const count = Number(url.searchParams.get('count') ?? 5);
      let i = 0;
      const timer = setInterval(() => {
        if (socket.readyState !== socket.OPEN) return clearInterval(timer);
        if (i < count) return void socket.send(JSON.stringify({ type: 'delta', index: i, text: answerText(i++) }));
        clearInterval(timer);
        socket.send(JSON.stringify({ type: 'done', finishReason: 'stop', events: count + 1 }));
      }, 15);
    });
  });
  const port = await listen(server);
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    setPage(path, html) {
      pages[path] = html;
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await close(server);
    },
  };
}

export type CollectorMode =
  | { kind: 'ok' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'no-cors' }
  /** CORS allows only Content-Type (the OpenTelemetry Collector's default): a compressed export's preflight fails. */
  | { kind: 'cors-without-encoding' };

/** `encoding`: the request's Content-Encoding (`raw` is the body after decoding it). */
export interface Post { at: number; status: number; spans: OtlpSpan[]; raw: string; encoding: string | undefined }

/** An OTLP/HTTP JSON collector on its own origin. `stop()` drops every connection (a network error) until `start()`. */
export async function startCollector(): Promise<{
  url: string; posts: Post[]; mode: CollectorMode; spans(): OtlpSpan[]; stop(): Promise<void>; start(): Promise<void>; close(): Promise<void>;
}> {
  const posts: Post[] = [];
  const state = { mode: { kind: 'ok' } as CollectorMode };
  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const mode = state.mode;
    const cors: Record<string, string> = mode.kind === 'no-cors' ? {} : {
      'access-control-allow-origin': req.headers.origin ?? '*',
      'access-control-allow-headers': mode.kind === 'cors-without-encoding' ? 'content-type' : '*',
      'access-control-allow-methods': 'POST, OPTIONS',
      // Without this a cross-origin page cannot read Retry-After (not a CORS-safelisted header).
      'access-control-expose-headers': 'retry-after',
    };
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    if (req.method !== 'POST') return void res.writeHead(404, cors).end();
    const encoding = req.headers['content-encoding'];
    let spans: OtlpSpan[] = [];
    let text = '';
    try {
      const bytes = await readBytes(req);
      text = (encoding === 'gzip' ? gunzipSync(bytes) : bytes).toString('utf8');
      const json = JSON.parse(text) as { resourceSpans?: { scopeSpans?: { spans?: OtlpSpan[] }[] }[] };
      spans = (json.resourceSpans ?? []).flatMap((rs) => (rs.scopeSpans ?? []).flatMap((ss) => ss.spans ?? []));
    } catch {
      return void res.writeHead(400, cors).end('{"error":"not json (or not gzip)"}');
    }
    if (mode.kind === 'slow') await new Promise((r) => setTimeout(r, mode.delayMs));
    const status = mode.kind === 'status' ? mode.status : 200;
    posts.push({ at: Date.now(), status, spans, raw: text, encoding });
    const headers: Record<string, string> = { ...cors, 'content-type': 'application/json' };
    if (mode.kind === 'status' && mode.retryAfter !== undefined) headers['retry-after'] = mode.retryAfter;
    if (!res.destroyed) res.writeHead(status, headers).end(status === 200 ? '{"partialSuccess":{}}' : '{"error":"fault"}');
  };
  const server = createServer((req, res) => void handler(req, res));
  // Down, the port stays ours and every connection is dropped at once: the browser sees a network
  // error, as for a refused connection, but no other process on the machine can take the port
  // (and answer the SDK's retries) while the collector is down.
  let down = false;
  server.on('connection', (socket) => {
    if (down) socket.destroy();
  });
  const port = await listen(server);
  let running = true;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    posts,
    get mode() {
      return state.mode;
    },
    set mode(mode: CollectorMode) {
      state.mode = mode;
    },
    /** Spans the collector accepted (2xx). */
    spans: () => posts.filter((p) => p.status === 200).flatMap((p) => p.spans),
    async stop() {
      down = true;
      server.closeAllConnections();
    },
    async start() {
      down = false;
    },
    async close() {
      if (running) await close(server);
      running = false;
    },
  };
}

/** What the page did wrong: uncaught errors, unhandled rejections and console errors, seen from outside and inside. */
export function watchPage(page: Page): { pageErrors: string[]; consoleErrors: string[]; rejections(): Promise<string[]> } {
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  return {
    pageErrors,
    consoleErrors,
    rejections: () => page.evaluate(() => (window as unknown as { rejections: string[] }).rejections),
  };
}

/**
 * Console errors a script can neither cause differently nor suppress: Chromium logs every failed
 * or non-2xx network request ("Failed to load resource", "net::ERR_…") and every CORS refusal
 * ("… has been blocked by CORS policy"). Anything else is the SDK's (or the page's) fault.
 */
export const isBrowserNetworkLog = (text: string): boolean =>
  /Failed to load resource|net::ERR_|blocked by CORS policy/.test(text);

/**
 * A page that loads the script-tag SDK with `options` and exposes `window.st`, chunk counters
 * and stream runners `runFetch`, `runEventSource`, `runWebSocket` (each resolves with the delta count it saw).
 */
export function sdkPage(options: Record<string, unknown> | null, extraHead = ''): string {
  return `<!doctype html><html><head><meta charset="utf-8">
<script>
  window.rejections = [];
  addEventListener('unhandledrejection', (e) => window.rejections.push(String(e.reason && e.reason.stack || e.reason)));
</script>
<script src="/dist/streamtrace.iife.js"></script>
<script>
  window.st = ${options === null ? 'undefined' : `Streamtrace.init(${JSON.stringify(options)})`};
  const countDeltas = (text) => (text.match(/"type":"delta"/g) || []).length;
  window.runFetch = async (count = 5, delay = 20) => {
    const res = await fetch('/chat?count=' + count + '&delay=' + delay, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer AUTH-SECRET-TOKEN' },
      body: JSON.stringify({ message: 'PROMPT-SECRET-fetch' }),
    });
    const reader = res.body.getReader(); const decoder = new TextDecoder(); let text = '';
    for (;;) { const { done, value } = await reader.read(); if (done) break; text += decoder.decode(value, { stream: true }); }
    return countDeltas(text);
  };
  window.runEventSource = (count = 5, delay = 20) => new Promise((resolve) => {
    let n = 0;
    const es = new EventSource('/sse?count=' + count + '&delay=' + delay + '&message=PROMPT-SECRET-es&api_key=URL-SECRET-1&token=URL-SECRET-2');
    es.onmessage = (e) => { const m = JSON.parse(e.data); if (m.type === 'delta') n++; if (m.type === 'done') { es.close(); resolve(n); } };
  });
  window.runWebSocket = (count = 5) => new Promise((resolve) => {
    let n = 0;
    const ws = new WebSocket(location.origin.replace('http', 'ws') + '/ws?count=' + count + '&access_token=URL-SECRET-3&sig=URL-SECRET-4');
    ws.onopen = () => ws.send(JSON.stringify({ message: 'PROMPT-SECRET-ws' }));
    ws.onmessage = (e) => { const m = JSON.parse(e.data); if (m.type === 'delta') n++; if (m.type === 'done') ws.close(1000); };
    ws.onclose = () => resolve(n);
  });
</script>${extraHead}</head><body><div id="answer" data-streamtrace-message=""></div><button id="b">click</button></body></html>`;
}
