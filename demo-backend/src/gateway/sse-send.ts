import type { ServerResponse } from 'node:http';
import type { SendEvent, SendResult } from './events.js';

/**
 * SSE framing `id: <n>` + `data: <json>`. Like shared/sse-writer's writeSseEvent, but answers
 * synchronously while the socket buffer has room: the gateway relays thousands of deltas per
 * answer, and a promise per delta (each one tracked by async hooks when tracing is on) was a
 * measurable share of its CPU. When the buffer is full it waits for `drain` (or `close`).
 */
export function createSseSender(res: ServerResponse): SendEvent {
  let id = 0;
  let corked = false;
  const uncork = (): void => {
    corked = false;
    // end() uncorks fully by itself; a second uncork could release someone else's cork.
    if (!res.writableEnded) res.uncork();
  };
  return (event) => {
    if (res.destroyed || res.writableEnded) return undefined;
    // Events sent in the same tick (the deltas of one upstream read) go out in one socket write:
    // same bytes, but one syscall instead of one per delta, the largest CPU item of a fast stream.
    if (!corked) {
      corked = true;
      res.cork();
      process.nextTick(uncork);
    }
    return writeSse(res, `id: ${id++}\ndata: ${JSON.stringify(event)}\n\n`);
  };
}

function writeSse(res: ServerResponse, text: string): SendResult {
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
