// Local bench server on port 0: the test page, each SDK's script files, a stream source
// (SSE for EventSource and streamed fetch, WebSocket frames) and a sink that accepts and discards POSTs.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocketServer } from 'ws';
import { benchDir } from './sdks.mjs';

const APP_JS = readFileSync(join(benchDir, 'lib', 'page-app.js'));
const BURST = 25; // chunks written together, then a ~2 ms pause: up to ~10,000 chunks/s, a stress rate

const deltaJson = (index) => JSON.stringify({ type: 'delta', index, text: `tok${index % 100} ` });

async function paced(count, send, isOpen) {
  for (let index = 0; index < count; index++) {
    if (!isOpen()) return false;
    send(deltaJson(index), index);
    if (index % BURST === BURST - 1) await sleep(2);
  }
  return isOpen();
}

function pageHtml(files) {
  const tags = files.map((f) => `<script src="/sdk/${f}"></script>`).join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>bench</title>
<script src="/app.js"></script>
</head><body><div id="out" style="white-space:pre-wrap;font:12px/1.3 monospace"></div>
${tags}
<script src="/app-start.js"></script>
</body></html>`;
}

/**
 * @param {Map<string, {label: string, files: {name: string, body: Buffer, map?: string}[]}>} scripts
 */
export async function startBenchServer(scripts) {
  const sink = { requests: [] };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://local');
    if (req.method === 'POST') {
      const parts = [];
      for await (const part of req) parts.push(part);
      const body = Buffer.concat(parts);
      sink.requests.push({ path: url.pathname, contentType: req.headers['content-type'] ?? '', contentEncoding: req.headers['content-encoding'] ?? '', bytes: body.length, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"partialSuccess":{}}');
      return;
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'GET, POST' }).end();
      return;
    }
    if (url.pathname === '/page') {
      const entry = scripts.get(url.searchParams.get('sdk') ?? 'none');
      if (entry === undefined) return void res.writeHead(404).end();
      const id = url.searchParams.get('sdk') ?? 'none';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      return void res.end(pageHtml(entry.files.map((f) => `${id}/${f.name}`)));
    }
    if (url.pathname === '/app.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(APP_JS);
    if (url.pathname === '/app-start.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end('window.benchReady = true;\n');
    if (url.pathname.startsWith('/sdk/')) {
      const [, , id, name] = url.pathname.split('/');
      const file = scripts.get(id)?.files.find((f) => f.name === name || `${f.name}.map` === name);
      if (file === undefined) return void res.writeHead(404).end();
      if (name.endsWith('.map')) return void res.writeHead(200, { 'content-type': 'application/json' }).end(file.map ?? '{}');
      return void res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' }).end(file.body);
    }
    if (url.pathname === '/stream/sse') {
      const count = Number(url.searchParams.get('n') ?? 1000);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      let open = true;
      res.on('close', () => { open = false; });
      const done = await paced(count, (json, index) => res.write(`id: ${index}\ndata: ${json}\n\n`), () => open);
      if (done) res.end(`data: ${JSON.stringify({ type: 'done', finishReason: 'stop', events: count + 1 })}\n\n`);
      return;
    }
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url, 'http://local');
    if (url.pathname !== '/stream/ws') return void socket.destroy();
    wss.handleUpgrade(req, socket, head, async (ws) => {
      const count = Number(url.searchParams.get('n') ?? 1000);
      const done = await paced(count, (json) => ws.send(json), () => ws.readyState === ws.OPEN);
      if (done) ws.send(JSON.stringify({ type: 'done', finishReason: 'stop', events: count + 1 }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    sink,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
