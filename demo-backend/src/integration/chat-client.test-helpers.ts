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
