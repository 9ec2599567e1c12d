import type { ServerResponse } from 'node:http';

/**
 * Writes one SSE event (an `id:` line when `id` is given, then `data:`) and honours backpressure.
 * Returns the event's size in bytes (undefined once the connection is gone) synchronously while
 * the socket buffer has room: a stream relays thousands of events, and a promise per event (each
 * one tracked by async hooks when tracing is on) was a measurable share of the gateway's CPU.
 * When the buffer is full it returns a promise that settles on `drain` (or on close), so a slow
 * client never makes memory grow.
 */
export function writeSseEvent(res: ServerResponse, data: string, id?: number): number | undefined | Promise<number | undefined> {
  if (res.destroyed || res.writableEnded) return undefined;
  const text = `${id === undefined ? '' : `id: ${id}\n`}data: ${data}\n\n`;
  const bytes = Buffer.byteLength(text);
  if (res.write(text)) return res.destroyed ? undefined : bytes;
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve(res.destroyed ? undefined : bytes);
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
