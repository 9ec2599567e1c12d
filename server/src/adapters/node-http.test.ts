import type * as Http from 'node:http';
import { createRequire } from 'node:module';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { CHAT_FRAME, CHAT_QUERY, disconnectAfterFirstDelta, readSse, streamAnswer, wsChat } from '../testing/chat.test-helpers.js';
import { BROWSER_SPAN_ID, BROWSER_TRACEPARENT, BROWSER_TRACE_ID, waitFor } from '../testing/otel.test-helpers.js';
import { expectSseSpansUnderBrowserSpan, listenOnLoopback, setUpAdapterTesting } from './adapter-cases.test-helpers.js';
import { traceHttpServer } from './node-http.js';
import { startSseStream } from './sse.js';
import { traceWebSocket } from './websocket.js';

const { tracing, instrumentation, logger, lines } = setUpAdapterTesting();
const http = createRequire(import.meta.url)('node:http') as typeof Http;

const server = traceHttpServer(
  http.createServer((req, res) => {
    const sse = startSseStream(req, res, { headers: { 'access-control-allow-origin': '*' } });
    void streamAnswer(sse, logger, req.url?.includes('endless=1'));
  }),
);
const wss = new WebSocketServer({ server, path: '/api/chat/ws' });
wss.on('connection', (ws, req) => {
  ws.once('message', (data: Buffer) => {
    const traced = traceWebSocket(ws, req, { firstFrame: data });
    void streamAnswer(traced, logger, data.toString().includes('"endless":true'));
  });
});
let base = '';

beforeAll(async () => {
  base = await listenOnLoopback(server);
});
afterAll(() => {
  wss.close();
  server.close();
  instrumentation.disable();
});

const streamSpan = (name: string) => waitFor(() => tracing.spans(name)[0]);

describe('node:http adapter: SSE', () => {
  it('joins the browser trace from query parameters: HTTP SERVER span → stream sse span', async () => {
    const { headers, events } = await readSse(`http://${base}/api/chat/stream?${CHAT_QUERY}`);
    const { serverSpan, stream } = await expectSseSpansUnderBrowserSpan(tracing);
    expect(serverSpan.spanContext().traceId).toBe(BROWSER_TRACE_ID);
    expect(serverSpan.attributes['session.id']).toBe('sess-1');
    expect(stream.kind).toBe(SpanKind.INTERNAL);
    expect(stream.attributes).toMatchObject({
      'streamtrace.stream.outcome': 'complete',
      'streamtrace.stream.deltas': 3,
      'streamtrace.stream.events_sent': 5,
      'session.id': 'sess-1',
      'streamtrace.message.id': 'msg-1',
    });

    const traceparent = `00-${BROWSER_TRACE_ID}-${stream.spanContext().spanId}-01`;
    expect(headers.get('content-type')).toContain('text/event-stream');
    expect(headers.get('traceparent')).toBe(traceparent);
    expect(headers.get('x-trace-id')).toBe(BROWSER_TRACE_ID);
    expect(headers.get('server-timing')).toBe(`traceparent;desc="${traceparent}"`);
    expect(headers.get('access-control-expose-headers')).toContain('server-timing');
    expect(events.map((e) => e.type)).toEqual(['start', 'delta', 'delta', 'delta', 'done']);
    expect(events[0]?.traceId).toBe(BROWSER_TRACE_ID);

    expect(lines[0]).toMatchObject({ trace_id: BROWSER_TRACE_ID, 'session.id': 'sess-1', 'streamtrace.message.id': 'msg-1' });
  });

  it('ends the stream span as cancel when the client disconnects', async () => {
    await disconnectAfterFirstDelta(`http://${base}/api/chat/stream?${CHAT_QUERY}&endless=1`);
    const stream = await streamSpan('stream sse');
    expect(stream.attributes['streamtrace.stream.outcome']).toBe('cancel');
    expect(stream.status.code).toBe(SpanStatusCode.UNSET);
    expect(stream.events.at(-1)?.name).toBe('stream.cancel');
    expect(stream.spanContext().traceId).toBe(BROWSER_TRACE_ID);
  });
});

describe('node:http adapter: WebSocket', () => {
  it('joins the browser trace from the first frame with a SERVER stream websocket span', async () => {
    const frames = await wsChat(`ws://${base}/api/chat/ws`, CHAT_FRAME);
    expect(frames.map((f) => f.type)).toEqual(['start', 'delta', 'delta', 'delta', 'done']);
    const stream = await streamSpan('stream websocket');
    expect(stream.kind).toBe(SpanKind.SERVER);
    expect(stream.parentSpanContext?.spanId).toBe(BROWSER_SPAN_ID);
    expect(stream.spanContext().traceId).toBe(BROWSER_TRACE_ID);
    expect(stream.attributes).toMatchObject({ 'session.id': 'sess-2', 'streamtrace.message.id': 'msg-2', 'streamtrace.stream.outcome': 'complete' });
    expect(lines[0]).toMatchObject({ trace_id: BROWSER_TRACE_ID, 'session.id': 'sess-2', 'streamtrace.message.id': 'msg-2' });
  });

  it('prefers context from the upgrade URL query', async () => {
    const other = '00-11111111111111111111111111111111-2222222222222222-01';
    await wsChat(`ws://${base}/api/chat/ws?traceparent=${BROWSER_TRACEPARENT}`, { ...CHAT_FRAME, traceparent: other });
    const stream = await streamSpan('stream websocket');
    expect(stream.parentSpanContext?.spanId).toBe(BROWSER_SPAN_ID);
  });

  it('ends the span as cancel when the client closes mid-stream', async () => {
    await wsChat(`ws://${base}/api/chat/ws`, { ...CHAT_FRAME, endless: true }, true);
    const stream = await streamSpan('stream websocket');
    expect(stream.attributes['streamtrace.stream.outcome']).toBe('cancel');
    expect(stream.events.at(-1)?.name).toBe('stream.cancel');
  });
});
