import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { SendEvent } from './events.js';
import { WS_HIGH_WATER, createWsSender } from './ws-route.js';

let server: Server | undefined;
const clients: WebSocket[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.terminate();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** A real WebSocket pair: the gateway side's sender and the client socket. */
async function connect(): Promise<{ send: SendEvent; client: WebSocket; frames: string[] }> {
  server = createServer();
  const wss = new WebSocketServer({ server });
  const serverSide = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(server!.address() as AddressInfo).port}`);
  clients.push(client);
  const frames: string[] = [];
  client.on('message', (data) => frames.push(String(data)));
  await new Promise((resolve) => client.once('open', resolve));
  return { send: createWsSender(await serverSide), client, frames };
}

/** Sends big deltas to a client that does not read until one send stays waiting. */
async function sendUntilWaiting(send: SendEvent): Promise<{ waiting: Promise<number | undefined>; sent: number }> {
  const big = 'x'.repeat(16 * 1024);
  for (let index = 0; index < 4000; index++) {
    const result = send({ type: 'delta', index, text: big });
    if (!(result instanceof Promise)) continue;
    const stuck = await Promise.race([result.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 100))]);
    if (stuck) return { waiting: result, sent: index + 1 };
  }
  throw new Error('the socket never filled up');
}

describe('createWsSender', () => {
  it('sends one JSON frame per event and answers with its size at once while the client keeps up', async () => {
    const { send, frames } = await connect();
    const event = { type: 'delta', index: 0, text: 'Hé' } as const;
    expect(send(event)).toBe(Buffer.byteLength(JSON.stringify(event)));
    await expect.poll(() => frames).toEqual([JSON.stringify(event)]);
  });

  it('waits once more than the high-water mark is buffered, and delivers every frame in order', async () => {
    const { send, client, frames } = await connect();
    client.pause();
    const { waiting, sent } = await sendUntilWaiting(send);
    client.resume();
    expect(await waiting).toBeGreaterThan(16 * 1024);
    await expect.poll(() => frames.length).toBe(sent);
    expect(frames.map((f) => (JSON.parse(f) as { index: number }).index)).toEqual([...Array(sent).keys()]);
    expect(sent * 16 * 1024).toBeGreaterThan(WS_HIGH_WATER);
  });

  it('answers undefined once the socket is closed', async () => {
    const { send, client } = await connect();
    client.close();
    await new Promise((resolve) => client.once('close', resolve));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(send({ type: 'delta', index: 0, text: 'late' })).toBeUndefined();
  });
});
