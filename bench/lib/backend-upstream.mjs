// A minimal OpenAI-compatible `POST /v1/chat/completions` stream for bench/backend.mjs: a fixed
// number of tokens with no delay, so the gateway (not the model) is the bottleneck. The demo
// model-service cannot do that: its shortest token delay is a 0 ms timer (≥ 1 ms in Node) and its
// answers are a few sentences long. Run as a child process: prints `READY bench-upstream <url>`.
// Env: UPSTREAM_TOKENS (2000), UPSTREAM_BATCH (tokens per socket write, 16), UPSTREAM_PORT (0).
import { createServer } from 'node:http';

const tokens = Number(process.env.UPSTREAM_TOKENS ?? 2000);
const batch = Math.max(1, Number(process.env.UPSTREAM_BATCH ?? 16));
const model = 'sim-gpt-1';

/** The whole answer as SSE text, pre-serialised once: the upstream should cost next to nothing. */
function answerPieces(id) {
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta, finish, usage) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`;
  const events = [];
  for (let i = 0; i < tokens; i++) events.push(chunk(i === 0 ? { role: 'assistant', content: ' tok0' } : { content: ` tok${i % 100}` }, null));
  events.push(chunk({}, 'stop'));
  events.push(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: { prompt_tokens: 50, completion_tokens: tokens, total_tokens: 50 + tokens } })}\n\n`);
  events.push('data: [DONE]\n\n');
  const pieces = [];
  for (let i = 0; i < events.length; i += batch) pieces.push(events.slice(i, i + batch).join(''));
  return pieces;
}

const pieces = answerPieces('chatcmpl-bench');

const server = createServer((req, res) => {
  if (req.method !== 'POST' || !req.url?.startsWith('/v1/chat/completions')) {
    res.writeHead(404).end();
    return;
  }
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    let next = 0;
    const pump = () => {
      while (next < pieces.length) {
        if (res.destroyed) return;
        if (!res.write(pieces[next++])) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.UPSTREAM_PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`READY bench-upstream http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
