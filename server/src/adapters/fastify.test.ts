import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { CHAT_FRAME, CHAT_QUERY, captureLogger, disconnectAfterFirstDelta, readSse, streamAnswer, wsChat } from '../testing/chat.test-helpers.js';
import { BROWSER_SPAN_ID, BROWSER_TRACE_ID, registerTestTracing, waitFor } from '../testing/otel.test-helpers.js';
import { traceWebSocket } from './websocket.js';

const tracing = registerTestTracing();
// Outgoing requests off: the test's own WebSocket client would otherwise send a traceparent header.
const instrumentation = new HttpInstrumentation({ disableOutgoingRequestInstrumentation: true });
instrumentation.setTracerProvider(tracing.provider);
instrumentation.enable();
// Loaded after the instrumentation is enabled, so fastify's `http` is the patched one.
const { default: Fastify } = await import('fastify');
const { startFastifySse, streamtrace } = await import('./fastify.js');
const { logger, lines } = captureLogger();

// Closes keep-alive sockets at app.close() instead of waiting for them to time out.
const app = Fastify({ forceCloseConnections: true });
await app.register(streamtrace);
app.get('/api/chat/stream', (request, reply) => {
  logger.info('chat request');
  const sse = startFastifySse(request, reply);
  void streamAnswer(sse, logger, (request.query as Record<string, string>).endless === '1');
});
app.get('/hello', async () => {
  logger.info('hello');
  return { ok: true };
});
const wss = new WebSocketServer({ server: app.server, path: '/api/chat/ws' });
wss.on('connection', (ws, req) => {
  ws.once('message', (data: Buffer) => void streamAnswer(traceWebSocket(ws, req, { firstFrame: data }), logger));
});
let base = '';

beforeAll(async () => {
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  wss.close();
  await app.close();
  instrumentation.disable();
});
beforeEach(() => {
  tracing.exporter.reset();
  lines.length = 0;
});

describe('Fastify plugin', () => {
  it('EventSource-style GET with query context: SERVER span joins the browser span, logs carry ids', async () => {
    const { headers, events } = await readSse(`http://${base}/api/chat/stream?${CHAT_QUERY}`);
    expect(events.map((e) => e.type)).toEqual(['start', 'delta', 'delta', 'delta', 'done']);
    const serverSpan = await waitFor(() => tracing.spans().find((s) => s.kind === SpanKind.SERVER));
    const stream = await waitFor(() => tracing.spans('stream sse')[0]);
    expect(serverSpan.parentSpanContext?.spanId).toBe(BROWSER_SPAN_ID);
    expect(stream.parentSpanContext?.spanId).toBe(serverSpan.spanContext().spanId);
    expect(stream.attributes).toMatchObject({ 'session.id': 'sess-1', 'streamtrace.stream.outcome': 'complete' });
    expect(headers.get('traceparent')).toBe(`00-${BROWSER_TRACE_ID}-${stream.spanContext().spanId}-01`);
    expect(lines[0]).toMatchObject({ msg: 'chat request', trace_id: BROWSER_TRACE_ID, 'session.id': 'sess-1', 'streamtrace.message.id': 'msg-1' });
  });

  it('runs ordinary async handlers in the request context and exposes the trace headers', async () => {
    const res = await fetch(`http://${base}/hello?${CHAT_QUERY}`);
    expect(await res.json()).toEqual({ ok: true });
    expect(res.headers.get('access-control-expose-headers')).toContain('x-trace-id');
    expect(lines[0]).toMatchObject({ msg: 'hello', trace_id: BROWSER_TRACE_ID, 'session.id': 'sess-1' });
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
    expect(stream.attributes['streamtrace.message.id']).toBe('msg-2');
  });
});
