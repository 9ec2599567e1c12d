import WebSocket from 'ws';
import { createSseParser } from '../shared/sse-parser.js';

export interface GatewayEvent {
  type: 'start' | 'delta' | 'done' | 'error';
  [key: string]: unknown;
}

/** Reads a whole SSE response body into parsed gateway events (ids checked to count up from 0). */
export async function readSseEvents(response: Response): Promise<GatewayEvent[]> {
  const parser = createSseParser();
  const decoder = new TextDecoder();
  const events: GatewayEvent[] = [];
  for await (const chunk of response.body!) {
    for (const message of parser.push(decoder.decode(chunk, { stream: true }))) {
      if (message.id !== String(events.length)) throw new Error(`event id ${message.id} out of order`);
      events.push(JSON.parse(message.data) as GatewayEvent);
    }
  }
  return events;
}

export interface ChatPost {
  traceparent: string;
  sessionId: string;
  messageId: string;
  signal?: AbortSignal;
}

/** POSTs one chat request to the gateway's SSE endpoint. */
export function postChat(gatewayUrl: string, body: object, post: ChatPost): Promise<Response> {
  return fetch(`${gatewayUrl}/api/chat`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      traceparent: post.traceparent,
      'x-session-id': post.sessionId,
      'x-message-id': post.messageId,
    },
    body: JSON.stringify(body),
    ...(post.signal ? { signal: post.signal } : {}),
  });
}

/** Reads an SSE chat response until `count` delta events have arrived, then aborts the request. */
export async function abortAfterDeltas(response: Response, aborter: AbortController, count: number): Promise<void> {
  const reader = response.body!.getReader();
  const parser = createSseParser();
  const decoder = new TextDecoder();
  let deltas = 0;
  while (deltas < count) {
    const { value, done } = await reader.read();
    if (done) throw new Error('stream ended before the abort');
    deltas += parser.push(decoder.decode(value, { stream: true })).filter((m) => m.data.includes('"delta"')).length;
  }
  aborter.abort();
}

/** Opens the gateway WebSocket, sends one frame and collects frames until `done` or `error`. */
export function chatOverWebSocket(url: string, frame: object): Promise<GatewayEvent[]> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const events: GatewayEvent[] = [];
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`no final frame; got ${JSON.stringify(events).slice(0, 300)}`));
    }, 15_000);
    socket.on('open', () => socket.send(JSON.stringify(frame)));
    socket.on('message', (data) => {
      const event = JSON.parse(data.toString()) as GatewayEvent;
      events.push(event);
      if (event.type === 'done' || event.type === 'error') {
        clearTimeout(timer);
        socket.close();
        resolve(events);
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

export function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function newTraceparent(): { traceId: string; spanId: string; traceparent: string } {
  const traceId = randomHex(16);
  const spanId = randomHex(8);
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}
