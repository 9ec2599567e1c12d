import { once } from 'node:events';
import type * as Http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT_QUERY, readSse, streamAnswer } from '../testing/chat.test-helpers.js';
import { BROWSER_SPAN_ID, BROWSER_TRACE_ID, waitFor } from '../testing/otel.test-helpers.js';
import {
  expectSseDisconnectCancels,
  expectSseSpansUnderBrowserSpan,
  expectWebSocketSpanUnderBrowserSpan,
  listenOnLoopback,
  serveChatWebSocket,
  setUpAdapterTesting,
} from './adapter-cases.test-helpers.js';
import { startSseStream, streamtrace, traceHttpServer } from './express.js';

const { tracing, instrumentation, logger, lines } = setUpAdapterTesting();
const http = createRequire(import.meta.url)('node:http') as typeof Http;

const app = express();
app.use(streamtrace());
app.get('/api/chat/stream', (req, res) => {
  logger.info('chat request');
  const sse = startSseStream(req, res);
  void streamAnswer(sse, logger, req.query.endless === '1');
});
const server = traceHttpServer(http.createServer(app));
const wss = serveChatWebSocket(server, logger);
let base = '';

beforeAll(async () => {
  base = await listenOnLoopback(server);
});
afterAll(() => {
  wss.close();
  server.close();
  instrumentation.disable();
});

describe('Express adapter', () => {
  it('EventSource-style GET with query context: SERVER span joins the browser span, logs carry ids', async () => {
    const { headers, events } = await readSse(`http://${base}/api/chat/stream?${CHAT_QUERY}`);
    expect(events.at(-1)?.type).toBe('done');
    const { serverSpan } = await expectSseSpansUnderBrowserSpan(tracing);
    expect(serverSpan.attributes).toMatchObject({ 'session.id': 'sess-1', 'streamtrace.message.id': 'msg-1' });
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
    await expectSseDisconnectCancels(tracing, base);
  });

  it('WebSocket with first-frame context gives a SERVER span under the browser span', async () => {
    await expectWebSocketSpanUnderBrowserSpan(tracing, base);
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
