import { wrappedTarget, type WrappedTarget } from './listener-wrap.js';
import type { InstrumentContext } from './instrument-context.js';
import { instrumentSocket } from './socket-wrapper.js';

/**
 * Replaces `globalThis.WebSocket` by a Proxy of the native constructor (socket-wrapper.ts): instances
 * are real WebSockets, `message` events are timed inside the app's own listeners.
 */
export function instrumentWebSocket(ctx: InstrumentContext): () => void {
  return instrumentSocket<WrappedTarget & { closedByClient: boolean }>(ctx, 'WebSocket', {
    // Relative and http(s) URLs are valid WebSocket URLs in current browsers.
    streamUrl: (url) => {
      if (/^https?:$/.test(url.protocol)) url = new URL(url.href.replace(/^http/, 'ws'));
      return /^wss?:$/.test(url.protocol) ? url : undefined;
    },
    attachSocket: (instance, stream, on) => {
      const ws = instance as WebSocket;
      const entry = { ...wrappedTarget(stream), closedByClient: false };
      let failed = false;
      on('open', () => stream.response({ 'network.protocol.name': 'websocket', ...(ws.protocol ? { 'streamtrace.websocket.protocol': ws.protocol } : {}) }));
      on('error', () => {
        failed = true;
      });
      on('close', (event: Event) => {
        const close = event as CloseEvent;
        const attributes = {
          'streamtrace.websocket.close_code': close.code,
          'streamtrace.websocket.close_clean': close.wasClean,
          ...(close.reason ? { 'streamtrace.websocket.close_reason': close.reason.slice(0, 128) } : {}),
          'streamtrace.stream.closed_by': entry.closedByClient ? 'client' : 'server',
        };
        const normal = close.code === 1000 || close.code === 1005 || (entry.closedByClient && close.wasClean);
        stream.socketClosed(failed || !normal ? `websocket_close_${close.code}` : undefined, attributes);
      });
      return entry;
    },
    timedType: (type) => type === 'message',
    closeSocket: (entry, close) => {
      if (entry !== undefined) entry.closedByClient = true;
      return close();
    },
  });
}
