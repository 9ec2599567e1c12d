import type { Transport } from '../settings.js';
import { openEventSource } from './eventsource.js';
import { openFetchStream } from './fetch-stream.js';
import type { StreamHandle, StreamHandlers, StreamRequest } from './types.js';
import { openWebSocket } from './websocket.js';

export function openChatStream(transport: Transport, request: StreamRequest, handlers: StreamHandlers): StreamHandle {
  switch (transport) {
    case 'eventsource':
      return openEventSource(request, handlers);
    case 'websocket':
      return openWebSocket(request, handlers);
    case 'fetch':
      return openFetchStream(request, handlers);
  }
}
