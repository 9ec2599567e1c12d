import { once } from 'node:events';
import type * as Http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { CHAT_FRAME, CHAT_QUERY, captureLogger, disconnectAfterFirstDelta, readSse, streamAnswer, wsChat } from '../testing/chat.test-helpers.js';
import { BROWSER_SPAN_ID, BROWSER_TRACE_ID, registerTestTracing, waitFor } from '../testing/otel.test-helpers.js';
import { startSseStream, streamtrace, traceHttpServer } from './express.js';
import { traceWebSocket } from './websocket.js';

const tracing = registerTestTracing();
// Outgoing requests off: the test's own WebSocket client would otherwise send a traceparent header.
const instrumentation = new HttpInstrumentation({ disableOutgoingRequestInstrumentation: true });
instrumentation.setTracerProvider(tracing.provider);
instrumentation.enable();
const http = createRequire(import.meta.url)('node:http') as typeof Http;
const { logger, lines } = captureLogger();

const app = express();
app.use(streamtrace());
app.get('/api/chat/stream', (req, res) => {
  logger.info('chat request');
  const sse = startSseStream(req, res);
  void streamAnswer(sse, logger, req.query.endless === '1');
});
const server = traceHttpServer(http.createServer(app));
const wss = new WebSocketServer({ server, path: '/api/chat/ws' });
wss.on('connection', (ws, req) => {
  ws.once('message', (data: Buffer) => void streamAnswer(traceWebSocket(ws, req, { firstFrame: data }), logger));
});
let base = '';

beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  wss.close();
  server.close();
  instrumentation.disable();
});
beforeEach(() => {
  tracing.exporter.reset();
  lines.length = 0;
});

describe('Express adapter', () => {
  it('EventSource-style GET with query context: SERVER span joins the browser span, logs carry ids', async () => {
    const { headers, events } = await readSse(`http://${base}/api/chat/stream?${CHAT_QUERY}`);
    expect(events.at(-1)?.type).toBe('done');
    const serverSpan = await waitFor(() => tracing.spans().find((s) => s.kind === SpanKind.SERVER));
    const stream = await waitFor(() => tracing.spans('stream sse')[0]);
    expect(serverSpan.parentSpanContext?.spanId).toBe(BROWSER_SPAN_ID);
    expect(serverSpan.attributes).toMatchObject({ 'session.id': 'sess-1', 'streamtrace.message.id': 'msg-1' });
    expect(stream.parentSpanContext?.spanId).toBe(serverSpan.spanContext().spanId);
    expect(headers.get('x-trace-id')).toBe(BROWSER_TRACE_ID);
    expect(headers.get('access-control-expose-headers')).toContain('traceparent');
    // Logged by the route before any stream span exists: the middleware's context.
    expect(lines[0]).toMatchObject({
      msg: 'chat request',
      trace_id: BROWSER_TRACE_ID,
      span_id: serverSpan.spanContext().spanId,
      'session.id': 'sess-1',
      'streamtrace.message.id': 'msg-1',
    });
  });

  it('a client that disconnects gives stream.cancel', async () => {
    await disconnectAfterFirstDelta(`http://${base}/api/chat/stream?${CHAT_QUERY}&endless=1`);
    const stream = await waitFor(() => tracing.spans('stream sse')[0]);
    expect(stream.attributes['streamtrace.stream.outcome']).toBe('cancel');
    expect(stream.events.map((e) => e.name)).toContain('stream.cancel');
  });

  it('WebSocket with first-frame context gives a SERVER span under the browser span', async () => {
    await wsChat(`ws://${base}/api/chat/ws`, CHAT_FRAME);
    const stream = await waitFor(() => tracing.spans('stream websocket')[0]);
    expect(stream.kind).toBe(SpanKind.SERVER);
    expect(stream.parentSpanContext?.spanId).toBe(BROWSER_SPAN_ID);
    expect(lines.find((l) => l.msg === 'stream started')).toMatchObject({ trace_id: BROWSER_TRACE_ID, 'session.id': 'sess-2' });
  });

  it('without traceHttpServer, the middleware still gives ids to logs and joins from the next request on', async () => {
    const plainApp = express();
    plainApp.use(streamtrace());
    plainApp.get('/hello', (_req, res) => {
      logger.info('hello');
      res.end('hi');
    });
    const plain = http.createServer(plainApp).listen(0, '127.0.0.1');
    await once(plain, 'listening');
    const url = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/hello?${CHAT_QUERY}`;
    try {
      await (await fetch(url)).text();
      await (await fetch(url)).text();
    } finally {
      plain.close();
    }
    const serverSpans = await waitFor(() => {
      const found = tracing.spans().filter((s) => s.kind === SpanKind.SERVER);
      return found.length === 2 ? found : undefined;
    });
    expect(serverSpans[0]?.parentSpanContext).toBeUndefined();
    expect(serverSpans[1]?.parentSpanContext?.spanId).toBe(BROWSER_SPAN_ID);
    expect(serverSpans[0]?.attributes['session.id']).toBe('sess-1');
    expect(lines[0]).toMatchObject({ msg: 'hello', 'session.id': 'sess-1', 'streamtrace.message.id': 'msg-1' });
  });
});
