// Needs the built dist: the gateway in front of a model that sends its first tokens in one burst
// and then goes silent. Found by the soak: the gateway picked the next timeout before counting
// the burst's tokens, so it waited GATEWAY_FIRST_TOKEN_TIMEOUT_MS instead of the token timeout.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from '../stack/start-stack.js';
import type { Stack } from '../stack/start-stack.js';
import { newTraceparent, readSseEvents } from './chat-client.test-helpers.js';
import { STATUS_ERROR, find, hasSpans, waitForTrace } from './trace-reader.test-helpers.js';

let stack: Stack;
let model: Server;
/** Resolves when the gateway hangs up on the silent model. */
let hungUp: Promise<void>;

const BURST = ['Streams ', 'can ', 'stall ', 'after ', 'tokens.'];

function chunk(content: string): string {
  return `data: ${JSON.stringify({ id: 'chatcmpl-burst', object: 'chat.completion.chunk', model: 'sim-gpt-1', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
}

beforeAll(async () => {
  let onHangUp!: () => void;
  hungUp = new Promise((resolve) => (onHangUp = resolve));
  model = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // All tokens before the stall in a single write: they reach the gateway as one piece.
      res.write(BURST.map(chunk).join(''));
      res.on('close', onHangUp);
    });
  });
  await new Promise<void>((resolve) => model.listen(0, '127.0.0.1', resolve));
  const modelUrl = `http://127.0.0.1:${(model.address() as AddressInfo).port}`;
  stack = await startStack({
    env: { MODEL_URL: modelUrl, GATEWAY_TOKEN_TIMEOUT_MS: '300', GATEWAY_FIRST_TOKEN_TIMEOUT_MS: '600000', LOG_LEVEL: 'warn' },
  });
}, 40_000);
afterAll(async () => {
  await stack?.stop();
  model?.closeAllConnections();
  await new Promise((resolve) => model?.close(resolve));
});

describe('a model that stalls right after a burst of tokens', () => {
  it('fails with the inter-token timeout, not the first-token one, and hangs up on the model', async () => {
    const { traceId, traceparent } = newTraceparent();
    // The timeout message reads the same either way; what differs is which timer runs. With the
    // first-token one (10 min here) the stream would not end before this client gives up.
    const response = await fetch(`${stack.urls.gateway}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent },
      body: JSON.stringify({ message: 'Why do streams stall?' }),
      signal: AbortSignal.timeout(20_000),
    });
    const events = await readSseEvents(response);
    expect(events.filter((e) => e.type === 'delta').map((e) => e['text'])).toEqual(BURST);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { type: 'timeout', message: 'model stream stalled: no token for 300 ms' } });
    await hungUp;

    const spans = await waitForTrace(stack.urls.collector, traceId, hasSpans('chat-gateway stream sse', 'chat-gateway chat sim-gpt-1'));
    const stream = find(spans, 'chat-gateway', 'stream sse');
    expect(stream).toMatchObject({ statusCode: STATUS_ERROR, attributes: expect.objectContaining({ 'streamtrace.stream.outcome': 'error', 'error.type': 'timeout' }) });
  }, 40_000);
});
