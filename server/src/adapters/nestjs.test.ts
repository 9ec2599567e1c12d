import 'reflect-metadata';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanStatusCode } from '@opentelemetry/api';
import type { INestApplication, MessageEvent } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Observable } from 'rxjs';
import type { WebSocketServer } from 'ws';
import { CHAT_QUERY, readSse } from '../testing/chat.test-helpers.js';
import { BROWSER_TRACE_ID, waitFor } from '../testing/otel.test-helpers.js';
import {
  expectSseDisconnectCancels,
  expectSseSpansUnderBrowserSpan,
  expectWebSocketSpanUnderBrowserSpan,
  serveChatWebSocket,
  setUpAdapterTesting,
} from './adapter-cases.test-helpers.js';

const { tracing, instrumentation, logger, lines } = setUpAdapterTesting();
// Loaded after the instrumentation is enabled, so Nest's `http` is the patched one.
const { Controller, Get, Module, Req, Sse } = await import('@nestjs/common');
const { NestFactory } = await import('@nestjs/core');
const { StreamtraceModule } = await import('./nestjs.js');

class ChatController {
  stream(req: IncomingMessage): Observable<MessageEvent> {
    const endless = req.url?.includes('endless=1') ?? false;
    const fail = req.url?.includes('fail=1') ?? false;
    return new Observable<MessageEvent>((subscriber) => {
      logger.info('sse subscribed');
      subscriber.next({ data: { type: 'start', model: 'sim' } });
      let index = 0;
      const timer = setInterval(() => {
        if (fail && index === 1) return subscriber.error(new TypeError('model stream broke'));
        if (!endless && index === 3) {
          subscriber.next({ data: { type: 'done', finishReason: 'stop' } });
          return subscriber.complete();
        }
        subscriber.next({ data: { type: 'delta', index, text: `t${index}` } });
        index++;
      }, 5);
      return () => clearInterval(timer);
    });
  }

  hello(): { ok: boolean } {
    logger.info('hello');
    return { ok: true };
  }
}
// Decorators applied as calls: the test transpiler does not emit legacy decorator metadata.
const proto = ChatController.prototype;
Controller('api')(ChatController);
Req()(proto, 'stream', 0);
Sse('chat/stream')(proto, 'stream', Object.getOwnPropertyDescriptor(proto, 'stream')!);
Get('hello')(proto, 'hello', Object.getOwnPropertyDescriptor(proto, 'hello')!);
class AppModule {}
Module({ imports: [StreamtraceModule], controllers: [ChatController] })(AppModule);

let app: INestApplication;
let wss: WebSocketServer;
let base = '';

beforeAll(async () => {
  app = await NestFactory.create(AppModule, { logger: false });
  wss = serveChatWebSocket(app.getHttpServer() as Server, logger);
  await app.listen(0, '127.0.0.1');
  base = `127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
});
afterAll(async () => {
  wss.close();
  await app.close();
  instrumentation.disable();
});

describe('NestJS module and interceptor', () => {
  it('@Sse() with query context: SERVER span joins the browser span, stream sse span counts deltas', async () => {
    const { headers, events } = await readSse(`http://${base}/api/chat/stream?${CHAT_QUERY}`);
    expect(events.map((e) => e.type)).toEqual(['start', 'delta', 'delta', 'delta', 'done']);
    const { serverSpan, stream } = await expectSseSpansUnderBrowserSpan(tracing);
    expect(serverSpan.attributes['session.id']).toBe('sess-1');
    expect(stream.attributes).toMatchObject({
      'streamtrace.stream.deltas': 3,
      'streamtrace.stream.events_sent': 5,
      'streamtrace.stream.outcome': 'complete',
      'streamtrace.message.id': 'msg-1',
    });
    expect(headers.get('traceparent')).toBe(`00-${BROWSER_TRACE_ID}-${stream.spanContext().spanId}-01`);
    expect(headers.get('content-type')).toContain('text/event-stream');
    expect(lines[0]).toMatchObject({
      msg: 'sse subscribed',
      trace_id: BROWSER_TRACE_ID,
      span_id: stream.spanContext().spanId,
      'session.id': 'sess-1',
      'streamtrace.message.id': 'msg-1',
    });
  });

  it('a client that disconnects gives stream.cancel', async () => {
    await expectSseDisconnectCancels(tracing, base);
  });

  it('an error in the @Sse() observable fails the stream span', async () => {
    // Nest answers the error as a plain-text SSE `error` event.
    const body = await (await fetch(`http://${base}/api/chat/stream?${CHAT_QUERY}&fail=1`)).text();
    expect(body).toContain('event: error');
    const stream = await waitFor(() => tracing.spans('stream sse')[0]);
    expect(stream.status.code).toBe(SpanStatusCode.ERROR);
    expect(stream.attributes['error.type']).toBe('TypeError');
  });

  it('ordinary handlers run in the request context', async () => {
    expect(await (await fetch(`http://${base}/api/hello?${CHAT_QUERY}`)).json()).toEqual({ ok: true });
    expect(lines[0]).toMatchObject({ msg: 'hello', trace_id: BROWSER_TRACE_ID, 'session.id': 'sess-1' });
  });

  it('WebSocket with first-frame context gives a SERVER span under the browser span', async () => {
    await expectWebSocketSpanUnderBrowserSpan(tracing, base);
  });
});
