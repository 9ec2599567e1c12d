import { wrappedTarget, type WrappedTarget } from './listener-wrap.js';
import type { InstrumentContext } from './instrument-context.js';
import { instrumentSocket } from './socket-wrapper.js';
import { safe } from '../diag.js';

/**
 * Replaces `globalThis.EventSource` by a Proxy of the native constructor (socket-wrapper.ts):
 * instances are real EventSources, messages (`message` and named events) are timed inside the app's
 * own listeners.
 */
export function instrumentEventSource(ctx: InstrumentContext): () => void {
  return instrumentSocket<WrappedTarget & { reconnectPending: boolean }>(ctx, 'EventSource', {
    streamUrl: (url) => url,
    attachSocket: (instance, stream, on) => {
      const es = instance as EventSource;
      const entry = { ...wrappedTarget(stream), reconnectPending: false };
      on('open', () => {
        if (entry.reconnectPending) {
          entry.reconnectPending = false;
          stream.streamEvent('stream.reconnected');
        }
        stream.response({ 'http.response.status_code': 200 });
      });
      on('error', () => {
        if (es.readyState === es.CLOSED) {
          stream.end('error', 'eventsource_error');
        } else if (!entry.reconnectPending) {
          // CONNECTING: the browser reconnects by itself; the same span covers every attempt.
          entry.reconnectPending = true;
          stream.streamReconnecting();
        }
      });
      return entry;
    },
    timedType: (type) => type !== 'open' && type !== 'error',
    closeSocket: (entry, close) => {
      const result = close();
      // Closing while the browser is reconnecting after an error means the app gave up on it.
      if (entry !== undefined) safe('EventSource close', () => entry.wrappedStream.socketClosed(entry.reconnectPending ? 'eventsource_error' : undefined, { 'streamtrace.stream.closed_by': 'client' }));
      return result;
    },
  });
}
