import type { ServerResponse } from 'node:http';

/**
 * Writes one SSE event (an `id:` line when `id` is given, then `data:`) and honours backpressure:
 * when the socket buffer is full it waits for `drain` (or for the connection to close), so a slow
 * client never makes memory grow. Resolves the event's size in bytes, or undefined once the
 * connection is gone.
 */
export async function writeSseEvent(res: ServerResponse, data: string, id?: number): Promise<number | undefined> {
  if (res.destroyed || res.writableEnded) return undefined;
  const text = `${id === undefined ? '' : `id: ${id}\n`}data: ${data}\n\n`;
  if (!res.write(text)) {
    await new Promise<void>((resolve) => {
      const done = (): void => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  }
  return res.destroyed ? undefined : Buffer.byteLength(text);
}
