import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT_QUERY, readSse, streamAnswer } from '../testing/chat.test-helpers.js';
import { BROWSER_TRACE_ID } from '../testing/otel.test-helpers.js';
import {
  expectSseDisconnectCancels,
  expectSseSpansUnderBrowserSpan,
  expectWebSocketSpanUnderBrowserSpan,
  serveChatWebSocket,
  setUpAdapterTesting,
} from './adapter-cases.test-helpers.js';

const { tracing, instrumentation, logger, lines } = setUpAdapterTesting();
// Loaded after the instrumentation is enabled, so fastify's `http` is the patched one.
const { default: Fastify } = await import('fastify');
const { startFastifySse, streamtrace } = await import('./fastify.js');

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
const wss = serveChatWebSocket(app.server, logger);
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

describe('Fastify plugin', () => {
  it('EventSource-style GET with query context: SERVER span joins the browser span, logs carry ids', async () => {
    const { headers, events } = await readSse(`http://${base}/api/chat/stream?${CHAT_QUERY}`);
    expect(events.map((e) => e.type)).toEqual(['start', 'delta', 'delta', 'delta', 'done']);
    const { stream } = await expectSseSpansUnderBrowserSpan(tracing);
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
    await expectSseDisconnectCancels(tracing, base);
  });

  it('WebSocket with first-frame context gives a SERVER span under the browser span', async () => {
    const stream = await expectWebSocketSpanUnderBrowserSpan(tracing, base);
    expect(stream.attributes['streamtrace.message.id']).toBe('msg-2');
  });
});
