import type { ServerResponse } from 'node:http';
import { writeSseEvent } from '../shared/sse-writer.js';

/** SSE `data:` events with backpressure; each write resolves false once the connection is gone. */
export function createSseWriter(res: ServerResponse): { write(data: string): Promise<boolean> } {
  return {
    async write(data) {
      return (await writeSseEvent(res, data)) !== undefined;
    },
  };
}
