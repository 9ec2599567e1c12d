import { createServer, request } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSseSender } from './sse-send.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** A real server whose response the test drives, and a client request reading it. */
async function openStream(): Promise<{ res: ServerResponse; body: IncomingMessage }> {
  let serverRes!: ServerResponse;
  const gotRequest = new Promise<void>((resolve) => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.flushHeaders();
      serverRes = res;
      resolve();
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server!.address() as AddressInfo;
  const body = await new Promise<IncomingMessage>((resolve) => request({ port, host: '127.0.0.1', path: '/' }, resolve).end());
  await gotRequest;
  return { res: serverRes, body };
}

function readAll(body: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    body.setEncoding('utf8');
    body.on('data', (piece: string) => (text += piece));
    body.on('end', () => resolve(text));
  });
}

/** Sends big deltas to a client that does not read until one send stays waiting (buffers full). */
async function sendUntilWaiting(send: ReturnType<typeof createSseSender>): Promise<{ waiting: Promise<number | undefined> }> {
  const big = 'x'.repeat(64 * 1024);
  for (let index = 0; index < 2000; index++) {
    const result = send({ type: 'delta', index, text: big });
    if (!(result instanceof Promise)) continue;
    const stuck = await Promise.race([result.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 100))]);
    // Wrapped: an async function returning a promise would wait for it.
    if (stuck) return { waiting: result };
  }
  throw new Error('the socket never filled up');
}

describe('createSseSender', () => {
  it('frames events as id + data and answers with their size at once while the client keeps up', async () => {
    const { res, body } = await openStream();
    const send = createSseSender(res);
    const reading = readAll(body);
    const first = send({ type: 'delta', index: 0, text: 'Hé' });
    const second = send({ type: 'done', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1 }, events: 2 });
    res.end();
    const text = await reading;
    const frames = text.split('\n\n').filter((f) => f !== '');
    expect(frames).toEqual([
      'id: 0\ndata: {"type":"delta","index":0,"text":"Hé"}',
      'id: 1\ndata: {"type":"done","finishReason":"stop","usage":{"inputTokens":1,"outputTokens":1},"events":2}',
    ]);
    expect(first).toBe(Buffer.byteLength(`${frames[0]}\n\n`));
    expect(second).toBe(Buffer.byteLength(`${frames[1]}\n\n`));
  });

  it('holds the events of one tick back and writes them to the socket together on the next', async () => {
    const { res, body } = await openStream();
    const send = createSseSender(res);
    const reading = readAll(body);
    for (let index = 0; index < 20; index++) send({ type: 'delta', index, text: `t${index}` });
    expect(res.socket!.writableCorked).toBeGreaterThan(0);
    await new Promise((resolve) => process.nextTick(resolve));
    expect(res.socket!.writableCorked).toBe(0);
    send({ type: 'delta', index: 20, text: 'next tick' });
    await new Promise((resolve) => setImmediate(resolve));
    res.end();
    const frames = (await reading).split('\n\n').filter((f) => f !== '');
    expect(frames.map((f) => (JSON.parse(f.split('data: ')[1]!) as { index: number }).index)).toEqual([...Array(21).keys()]);
  });

  it('waits for the client to drain a full buffer, then resolves with the size', async () => {
    const { res, body } = await openStream();
    const send = createSseSender(res);
    body.pause();
    const { waiting } = await sendUntilWaiting(send);
    body.resume();
    expect(await waiting).toBeGreaterThan(64 * 1024);
    res.end();
  });

  it('answers undefined once the client is gone, also for a send that was waiting', async () => {
    const { res, body } = await openStream();
    const send = createSseSender(res);
    body.pause();
    const { waiting } = await sendUntilWaiting(send);
    body.destroy();
    expect(await waiting).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(send({ type: 'delta', index: 0, text: 'late' })).toBeUndefined();
  });
});
