import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readGatewayConfig } from './config.js';
import { streamChat } from './model-client.js';
import { CancelledError } from './upstream-error.js';

const TOKENS = Array.from({ length: 300 }, (_, i) => ` t${i}`);

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** An OpenAI-compatible upstream sending TOKENS in bursts of 25 chunks per write; counts closed streams. */
async function startUpstream(): Promise<{ url: string; closed: () => number }> {
  let closed = 0;
  server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.on('close', () => closed++);
    const chunk = (body: object): string => `data: ${JSON.stringify(body)}\n\n`;
    const events = TOKENS.map((content) => chunk({ id: 'c1', model: 'sim', choices: [{ index: 0, delta: { content }, finish_reason: null }] }));
    events.push(chunk({ id: 'c1', model: 'sim', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: TOKENS.length } }));
    events.push('data: [DONE]\n\n');
    let next = 0;
    const pump = (): void => {
      if (res.destroyed) return;
      if (next >= events.length) return void res.end();
      res.write(events.slice(next, next + 25).join(''));
      next += 25;
      setImmediate(pump);
    };
    pump();
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, closed: () => closed };
}

const messages = [{ role: 'user' as const, content: 'hi' }];

describe('streamChat (HTTP upstream)', () => {
  it.each([
    ['synchronously', () => undefined],
    ['asynchronously', () => new Promise<void>((resolve) => setImmediate(resolve))],
    ['sometimes asynchronously', (i: number) => (i % 7 === 0 ? Promise.resolve() : undefined)],
  ])('relays every delta once and in order when onDelta answers %s', async (_name, answer) => {
    const { url } = await startUpstream();
    const seen: string[] = [];
    const result = await streamChat(readGatewayConfig({ MODEL_URL: url }), messages, {
      signal: new AbortController().signal,
      onDelta: (text) => {
        seen.push(text);
        return answer(seen.length - 1);
      },
    });
    expect(seen).toEqual(TOKENS);
    expect(result).toEqual({ finishReason: 'stop', inputTokens: 3, outputTokens: TOKENS.length, text: TOKENS.join('') });
  });

  it('ends with the error a synchronous onDelta throws, and stops reading the upstream', async () => {
    const { url, closed } = await startUpstream();
    let calls = 0;
    const call = streamChat(readGatewayConfig({ MODEL_URL: url }), messages, {
      signal: new AbortController().signal,
      onDelta: () => {
        if (++calls === 10) throw new CancelledError();
      },
    });
    await expect(call).rejects.toBeInstanceOf(CancelledError);
    expect(calls).toBe(10);
    await expect.poll(closed).toBe(1);
  });

  it('ends with the error an asynchronous onDelta rejects with, after the deltas before it', async () => {
    const { url } = await startUpstream();
    let calls = 0;
    const call = streamChat(readGatewayConfig({ MODEL_URL: url }), messages, {
      signal: new AbortController().signal,
      onDelta: () => (++calls === 40 ? Promise.reject(new CancelledError()) : calls % 3 === 0 ? Promise.resolve() : undefined),
    });
    await expect(call).rejects.toBeInstanceOf(CancelledError);
    expect(calls).toBeGreaterThanOrEqual(40);
  });
});
