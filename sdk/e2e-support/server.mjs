// A tiny test server for the SDK's Playwright specs: serves sdk/dist and test pages, an SSE
// endpoint, a WebSocket endpoint, and captures OTLP/HTTP JSON posts. Listens on port 0.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

/** @param {{ pages?: Record<string, string> }} options */
export async function startSdkTestServer(options = {}) {
  const pages = options.pages ?? {};
  /** @type {any[]} */
  const otlp = [];
  /** @type {{ url: string, headers: Record<string, unknown> }[]} */
  const requests = [];
  /** `reconnect-once` streams already dropped, by their `reset` token. */
  const dropped = new Set();

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push({ url: req.url ?? '', headers: req.headers });
    const cors = {
      'access-control-allow-origin': req.headers.origin ?? '*',
      'access-control-allow-headers': '*',
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-expose-headers': 'traceparent, x-trace-id, server-timing',
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    if (url.pathname === '/v1/traces' && req.method === 'POST') {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      try {
        otlp.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        res.writeHead(400, cors).end('{"error":"not json"}');
        return;
      }
      res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end('{"partialSuccess":{}}');
      return;
    }
    if (url.pathname.startsWith('/dist/')) {
      const file = normalize(join(dist, url.pathname.slice('/dist/'.length)));
      if (!file.startsWith(dist)) {
        res.writeHead(403).end();
        return;
      }
      try {
        const body = await readFile(file);
        res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream' }).end(body);
      } catch {
        res.writeHead(404).end();
      }
      return;
    }
    if (pages[url.pathname] !== undefined) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pages[url.pathname]);
      return;
    }
    if (url.pathname === '/sse') {
      // ?count=N&delay=ms&mode=close|reconnect-once|hold|destroy&named=1 (destroy: the connection drops after the events)
      const count = Number(url.searchParams.get('count') ?? 5);
      const delay = Number(url.searchParams.get('delay') ?? 10);
      const mode = url.searchParams.get('mode') ?? 'hold';
      const named = url.searchParams.get('named') === '1';
      const perTick = Math.max(1, Number(url.searchParams.get('per') ?? 1));
      const traceId = (url.searchParams.get('traceparent') ?? '').split('-')[1] ?? '';
      res.writeHead(200, {
        ...cors,
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        ...(traceId ? { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, 'x-trace-id': traceId } : {}),
        'server-timing': 'gateway;dur=12.5',
      });
      res.write('retry: 50\n: comment\n\n');
      let sent = 0;
      const lastId = Number(req.headers['last-event-id'] ?? -1);
      const timer = setInterval(() => {
        for (let k = 0; k < perTick && sent < count; k++) tick();
        if (sent >= count) clearInterval(timer);
      }, delay);
      const tick = () => {
        const index = lastId + 1 + sent;
        const payload = JSON.stringify({ type: 'delta', index, text: `t${index} ` });
        res.write(`id: ${index}\r\n${named ? 'event: delta\r\n' : ''}data: ${payload}\r\n\r\n`);
        sent++;
        const token = url.searchParams.get('reset') ?? '';
        if (mode === 'reconnect-once' && !dropped.has(token) && sent === 2) {
          dropped.add(token);
          clearInterval(timer);
          sent = count + 1;
          // A graceful end (not destroy, which may drop the last write): EventSource reconnects.
          res.end();
          return;
        }
        if (sent === count) {
          res.write(`data: ${JSON.stringify({ type: 'done', finishReason: 'stop' })}\n\n`);
          if (mode === 'close') res.end();
          if (mode === 'destroy') setTimeout(() => res.socket?.destroy(), 20);
        }
      };
      req.on('close', () => clearInterval(timer));
      return;
    }
    if (url.pathname === '/json') {
      res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, seen: req.headers['traceparent'] ?? null }));
      return;
    }
    if (url.pathname === '/redirect') {
      res.writeHead(302, { ...cors, location: '/json' }).end();
      return;
    }
    if (url.pathname === '/stream') {
      const count = Number(url.searchParams.get('count') ?? 5);
      res.writeHead(200, { ...cors, 'content-type': url.searchParams.get('type') ?? 'text/event-stream' });
      let sent = 0;
      const timer = setInterval(() => {
        res.write(`data: {"type":"delta","index":${sent},"text":"x"}\n\n`);
        if (++sent >= count) {
          clearInterval(timer);
          res.end();
        }
      }, 5);
      req.on('close', () => clearInterval(timer));
      return;
    }
    res.writeHead(404, cors).end('not found');
  });

  const wss = new WebSocketServer({ server, path: '/ws' });
  wss.on('connection', (socket, req) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    socket.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString();
      if (text === 'binary') socket.send(Buffer.from([1, 2, 3, 4]));
      else if (text.startsWith('close:')) {
        const [, code, reason] = text.split(':');
        socket.close(Number(code), reason);
      } else if (text === 'stream') {
        for (let i = 0; i < 3; i++) socket.send(JSON.stringify({ type: 'delta', index: i, text: 'w' }));
        socket.send(JSON.stringify({ type: 'done' }));
      } else if (text === 'terminate') socket.terminate();
      else socket.send(`echo:${text}`);
    });
  });

  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    /** Serves `html` at `path` (pages often embed the server's own URL, known only after listen). */
    setPage(path, html) {
      pages[path] = html;
    },
    baseUrl: `http://127.0.0.1:${port}`,
    otlp,
    requests,
    /** All spans posted so far, flattened. */
    spans() {
      return otlp.flatMap((r) => (r.resourceSpans ?? []).flatMap((rs) => (rs.scopeSpans ?? []).flatMap((ss) => ss.spans ?? [])));
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}
