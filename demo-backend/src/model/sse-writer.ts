import type { ServerResponse } from 'node:http';

/**
 * Writes SSE `data:` events and honours backpressure: when the socket buffer is full it waits
 * for `drain` (or for the connection to close), so a slow client never makes memory grow.
 * Resolves false once the connection is gone.
 */
export function createSseWriter(res: ServerResponse): { write(data: string): Promise<boolean> } {
  return {
    async write(data) {
      if (res.destroyed || res.writableEnded) return false;
      if (res.write(`data: ${data}\n\n`)) return true;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
      return !res.destroyed;
    },
  };
}
