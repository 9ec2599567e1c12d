import { Writable } from 'node:stream';
import { context } from '@opentelemetry/api';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { WebSocket } from 'ws';
import { pinoMixin } from '../log/pino-mixin.js';
import type { StreamSpan } from '../stream/stream-span.js';
import { BROWSER_TRACEPARENT } from './otel.test-helpers.js';

export const CHAT_QUERY = `message=hi&traceparent=${BROWSER_TRACEPARENT}&session_id=sess-1&message_id=msg-1`;
export const CHAT_FRAME = { message: 'hi', traceparent: BROWSER_TRACEPARENT, session_id: 'sess-2', message_id: 'msg-2' };

export function captureLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ mixin: pinoMixin }, sink), lines };
}

/** Anything that sends JSON events and carries a stream span (SSE or WebSocket adapter). */
export interface Sender extends StreamSpan {
  send(data: unknown, options?: { delta?: boolean }): boolean;
}

/**
 * A fake streamed answer: `start`, deltas every few ms, `done`. With `endless`, deltas go on
 * until the client goes away (the adapter then ends the span as cancel).
 */
export async function streamAnswer(out: Sender, logger: Logger, endless = false): Promise<void> {
  await context.with(out.context, async () => {
    logger.info('stream started');
    out.send({ type: 'start', traceId: out.traceId, model: 'sim' });
    for (let index = 0; endless || index < 3; index++) {
      if (out.ended) return;
      out.send({ type: 'delta', index, text: `t${index} ` }, { delta: true });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    out.send({ type: 'done', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 3 }, events: 5 });
    out.complete();
  });
}

export async function readSse(url: string): Promise<{ headers: Headers; events: Record<string, unknown>[] }> {
  const res = await fetch(url, { headers: { accept: 'text/event-stream' } });
  const text = await res.text();
  const events = text
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);
  return { headers: res.headers, events };
}

/** Reads an SSE response until the first delta arrives, then hangs up like a closed tab. */
export async function disconnectAfterFirstDelta(url: string): Promise<void> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream' }, signal: abort.signal });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  let text = '';
  while (!text.includes('"delta"')) {
    const { value, done } = await reader.read();
    if (done) throw new Error('stream ended before a delta');
    text += Buffer.from(value).toString();
  }
  abort.abort();
}

/** Opens a WebSocket, sends one frame, and collects frames until `done`/`error` (or closes early). */
export function wsChat(url: string, frame: unknown, closeAfterFirstDelta = false): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const frames: Record<string, unknown>[] = [];
    ws.on('open', () => ws.send(JSON.stringify(frame)));
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString()) as Record<string, unknown>;
      frames.push(msg);
      if (msg.type === 'done' || msg.type === 'error' || (closeAfterFirstDelta && msg.type === 'delta')) ws.close();
    });
    ws.on('close', () => resolve(frames));
    ws.on('error', reject);
  });
}
