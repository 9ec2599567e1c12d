import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-node';
import type { Logger } from 'pino';
import { beforeEach, expect } from 'vitest';
import { WebSocketServer } from 'ws';
import { CHAT_FRAME, CHAT_QUERY, captureLogger, disconnectAfterFirstDelta, streamAnswer, wsChat } from '../testing/chat.test-helpers.js';
import { BROWSER_SPAN_ID, registerTestTracing, waitFor } from '../testing/otel.test-helpers.js';
import type { TestTracing } from '../testing/otel.test-helpers.js';
import { traceWebSocket } from './websocket.js';

export interface AdapterTesting {
  tracing: TestTracing;
  instrumentation: HttpInstrumentation;
  logger: Logger;
  lines: Record<string, unknown>[];
}

/**
 * Real tracing plus the enabled HTTP instrumentation for one adapter test file; spans and log lines
 * are cleared before each test. Call it before importing a framework that must see the patched `http`.
 */
export function setUpAdapterTesting(): AdapterTesting {
  const tracing = registerTestTracing();
  // Outgoing requests off: the test's own WebSocket client would otherwise send a traceparent header.
  const instrumentation = new HttpInstrumentation({ disableOutgoingRequestInstrumentation: true });
  instrumentation.setTracerProvider(tracing.provider);
  instrumentation.enable();
  const { logger, lines } = captureLogger();
  beforeEach(() => {
    tracing.exporter.reset();
    lines.length = 0;
  });
  return { tracing, instrumentation, logger, lines };
}

/** Listens on a free loopback port and gives back `host:port`. */
export async function listenOnLoopback(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Streams a chat answer over `/api/chat/ws`, traced from the first frame. */
export function serveChatWebSocket(server: Server, logger: Logger): WebSocketServer {
  const wss = new WebSocketServer({ server, path: '/api/chat/ws' });
  wss.on('connection', (ws, req) => {
    ws.once('message', (data: Buffer) => void streamAnswer(traceWebSocket(ws, req, { firstFrame: data }), logger));
  });
  return wss;
}

/** The HTTP SERVER span joins the browser span and is the parent of the `stream sse` span. */
export async function expectSseSpansUnderBrowserSpan(tracing: TestTracing): Promise<{ serverSpan: ReadableSpan; stream: ReadableSpan }> {
  const serverSpan = await waitFor(() => tracing.spans().find((s) => s.kind === SpanKind.SERVER));
  const stream = await waitFor(() => tracing.spans('stream sse')[0]);
  expect(serverSpan.parentSpanContext?.spanId).toBe(BROWSER_SPAN_ID);
  expect(stream.parentSpanContext?.spanId).toBe(serverSpan.spanContext().spanId);
  return { serverSpan, stream };
}

/** A client that disconnects from `/api/chat/stream` after the first delta ends the `stream sse` span as cancel. */
export async function expectSseDisconnectCancels(tracing: TestTracing, base: string): Promise<void> {
  await disconnectAfterFirstDelta(`http://${base}/api/chat/stream?${CHAT_QUERY}&endless=1`);
  const stream = await waitFor(() => tracing.spans('stream sse')[0]);
  expect(stream.attributes['streamtrace.stream.outcome']).toBe('cancel');
  expect(stream.events.map((e) => e.name)).toContain('stream.cancel');
}

/** A WebSocket chat with first-frame context gives a SERVER `stream websocket` span under the browser span. */
export async function expectWebSocketSpanUnderBrowserSpan(tracing: TestTracing, base: string): Promise<ReadableSpan> {
  await wsChat(`ws://${base}/api/chat/ws`, CHAT_FRAME);
  const stream = await waitFor(() => tracing.spans('stream websocket')[0]);
  expect(stream.kind).toBe(SpanKind.SERVER);
  expect(stream.parentSpanContext?.spanId).toBe(BROWSER_SPAN_ID);
  return stream;
}
