import type { ServerResponse } from 'node:http';
import type { SendEvent } from './events.js';
import { writeSseEvent } from '../shared/sse-writer.js';

/**
 * SSE framing `id: <n>` + `data: <json>` for the gateway's events. Events sent in the same tick
 * (the deltas of one upstream read) go out in one socket write: same bytes, but one syscall
 * instead of one per delta, the largest CPU item of a fast stream.
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
    if (!corked) {
      corked = true;
      res.cork();
      process.nextTick(uncork);
    }
    return writeSseEvent(res, JSON.stringify(event), id++);
  };
}
