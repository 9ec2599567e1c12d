import type { IncomingMessage, ServerResponse } from 'node:http';

export type LiveEventName = 'spans' | 'logs';

interface BufferedEvent {
  seq: number;
  /** Encoded once: every client and every replay writes these same bytes. */
  bytes: Buffer;
}

export interface LiveFeedOptions {
  /** Events kept for clients that reconnect with Last-Event-ID. */
  maxEvents?: number;
  /** Bound on the serialized size (UTF-8 bytes) of the kept events (one batch can be megabytes). */
  maxBufferedBytes?: number;
  heartbeatMs?: number;
  maxClients?: number;
  /** A client whose unsent output grows beyond this is disconnected instead of buffering forever. */
  maxClientBacklogBytes?: number;
}

export interface LiveFeed {
  publish(event: LiveEventName, data: unknown): number;
  /** Id of the latest published event (0 before any): `/api/live?lastEventId=` it resumes right after. */
  lastEventId(): number;
  /** Serves `GET /api/live` on this response until the client goes away. */
  attach(req: IncomingMessage, res: ServerResponse, lastEventId: string | undefined): void;
  clientCount(): number;
  close(): void;
}

function formatEvent(seq: number, event: string, data: unknown): string {
  return `id: ${seq}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Server-Sent Events feed with a bounded ring buffer so reconnecting clients get what they missed. */
export function createLiveFeed(options: LiveFeedOptions = {}): LiveFeed {
  const maxEvents = options.maxEvents ?? 1000;
  const maxBufferedBytes = options.maxBufferedBytes ?? 32 * 1024 * 1024;
  const maxClients = options.maxClients ?? 64;
  const maxBacklog = options.maxClientBacklogBytes ?? 16 * 1024 * 1024;
  const buffer: BufferedEvent[] = [];
  let bufferedBytes = 0;
  let seq = 0;
  const clients = new Set<ServerResponse>();

  const send = (res: ServerResponse, chunk: string | Buffer): void => {
    if (res.writableLength > maxBacklog) {
      clients.delete(res);
      res.destroy();
      return;
    }
    res.write(chunk);
  };

  const heartbeat = setInterval(() => {
    for (const res of clients) send(res, ': heartbeat\n\n');
  }, options.heartbeatMs ?? 15_000);
  heartbeat.unref();

  return {
    publish(event, data) {
      seq++;
      // One UTF-8 encoding for all clients (a string would be encoded again for each socket, and
      // each slow socket's queue would hold its own copy).
      const bytes = Buffer.from(formatEvent(seq, event, data));
      buffer.push({ seq, bytes });
      bufferedBytes += bytes.length;
      while (buffer.length > maxEvents || (bufferedBytes > maxBufferedBytes && buffer.length > 1)) {
        bufferedBytes -= buffer.shift()?.bytes.length ?? 0;
      }
      for (const res of clients) send(res, bytes);
      return seq;
    },

    lastEventId: () => seq,

    attach(req, res, lastEventId) {
      if (clients.size >= maxClients) {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'too many live clients' }));
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        // Long-lived anyway: never reuse the socket, so shutdown does not wait on an idle keep-alive.
        connection: 'close',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 2000\n\n');
      const last = lastEventId !== undefined && /^\d{1,15}$/.test(lastEventId) ? Number(lastEventId) : undefined;
      if (last !== undefined) {
        // An id above the current sequence comes from an earlier run of the collector: replay all.
        const from = last > seq ? 0 : last;
        const oldest = buffer[0]?.seq;
        if (oldest !== undefined && from + 1 < oldest) {
          res.write(`event: gap\ndata: ${JSON.stringify({ missedFrom: from + 1, missedTo: oldest - 1 })}\n\n`);
        }
        for (const event of buffer) if (event.seq > from) res.write(event.bytes);
      }
      clients.add(res);
      const remove = (): void => {
        clients.delete(res);
        // The peer may have only half-closed its side; release the socket now.
        if (!res.destroyed) res.destroy();
      };
      req.on('close', remove);
      res.on('close', remove);
      res.on('error', remove);
    },

    clientCount: () => clients.size,

    close() {
      clearInterval(heartbeat);
      for (const res of clients) res.end();
      clients.clear();
    },
  };
}
