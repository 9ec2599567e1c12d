// Needs the built dist (`npm run build` does it): starts the real stack on free ports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startStack } from '../stack/start-stack.js';
import type { Stack } from '../stack/start-stack.js';
import { chatOverWebSocket, newTraceparent, readSseEvents } from './chat-client.test-helpers.js';
import { KIND, find, hasSpans, orphans, waitForTrace } from './trace-reader.test-helpers.js';
import type { FlatSpan } from './trace-reader.test-helpers.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ env: { MODEL_TTFT_MS: '40', MODEL_TOKEN_DELAY_MS: '3', MODEL_JITTER_MS: '2' } });
}, 40_000);
afterAll(async () => {
  await stack?.stop();
});

const BACKEND = [
  'chat-gateway retrieval streamtrace-docs',
  'chat-gateway chat sim-gpt-1',
  'vector-store vector.search streamtrace-docs',
  'model-service chat sim-gpt-1',
];

/** Checks the whole backend tree under `streamSpan`, and that nothing in the trace is orphaned. */
function expectBackendTree(spans: FlatSpan[], stream: FlatSpan, externalParent: string): void {
  expect(orphans(spans, [externalParent])).toEqual([]);
  const retrieval = find(spans, 'chat-gateway', 'retrieval streamtrace-docs', KIND.CLIENT);
  const chat = find(spans, 'chat-gateway', 'chat sim-gpt-1', KIND.CLIENT);
  expect(retrieval.parentSpanId).toBe(stream.spanId);
  expect(chat.parentSpanId).toBe(stream.spanId);
  expect(retrieval.attributes).toMatchObject({ 'gen_ai.operation.name': 'retrieval', 'gen_ai.data_source.id': 'streamtrace-docs', 'gen_ai.request.top_k': 3 });
  expect(chat.attributes).toMatchObject({ 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'sim-gpt-1', 'gen_ai.request.stream': true, 'gen_ai.response.finish_reasons': ['stop'] });
  expect(chat.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(10);
  expect(chat.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThan(0.03);

  // instrumentation-http spans from ES-module code: gateway CLIENT → service SERVER → service span.
  const search = find(spans, 'vector-store', 'vector.search streamtrace-docs');
  const searchServer = spans.find((s) => s.spanId === search.parentSpanId)!;
  expect(searchServer).toMatchObject({ service: 'vector-store', kind: KIND.SERVER, name: 'POST /search' });
  const retrievalHttp = spans.find((s) => s.spanId === searchServer.parentSpanId)!;
  expect(retrievalHttp).toMatchObject({ service: 'chat-gateway', kind: KIND.CLIENT, parentSpanId: retrieval.spanId });
  expect(search.attributes).toMatchObject({ 'db.system.name': 'streamtrace.vector', 'db.operation.name': 'search', 'gen_ai.data_source.id': 'streamtrace-docs' });
  const documents = JSON.parse(String(search.attributes['gen_ai.retrieval.documents'])) as { id: string; score: number }[];
  expect(documents).toHaveLength(3);
  expect(search.attributes['gen_ai.retrieval.query.text']).toBeUndefined();

  const model = find(spans, 'model-service', 'chat sim-gpt-1');
  const modelServer = spans.find((s) => s.spanId === model.parentSpanId)!;
  expect(modelServer).toMatchObject({ service: 'model-service', kind: KIND.SERVER, name: 'POST /v1/chat/completions' });
  const modelHttp = spans.find((s) => s.spanId === modelServer.parentSpanId)!;
  expect(modelHttp).toMatchObject({ service: 'chat-gateway', kind: KIND.CLIENT, parentSpanId: chat.spanId });
  expect(model.attributes).toMatchObject({ 'streamtrace.stream.outcome': 'complete', 'gen_ai.usage.output_tokens': chat.attributes['gen_ai.usage.output_tokens'] });
}

function expectIdsOnGatewaySpans(spans: FlatSpan[], sessionId: string, messageId: string): void {
  const gateway = spans.filter((s) => s.service === 'chat-gateway');
  expect(gateway.length).toBeGreaterThanOrEqual(4);
  for (const span of gateway) {
    expect([span.name, span.attributes['session.id'], span.attributes['streamtrace.message.id']]).toEqual([span.name, sessionId, messageId]);
  }
}

describe('traced chat through the real stack', () => {
  it('POST /api/chat joins the caller trace across gateway, retrieval and model', async () => {
    const { traceId, spanId, traceparent } = newTraceparent();
    const response = await fetch(`${stack.urls.gateway}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent, 'x-session-id': 'sess-post', 'x-message-id': 'msg-post', origin: 'http://localhost:5173' },
      body: JSON.stringify({ message: 'What is time to first token?', conversationId: 'conv-1' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-trace-id')).toBe(traceId);
    expect(response.headers.get('traceparent')).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(response.headers.get('server-timing')).toContain(traceId);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('access-control-expose-headers')).toMatch(/traceparent.*x-trace-id.*server-timing/);

    const events = await readSseEvents(response);
    expect(events[0]).toMatchObject({ type: 'start', traceId, sessionId: 'sess-post', messageId: 'msg-post', model: 'sim-gpt-1' });
    const deltas = events.filter((e) => e.type === 'delta');
    expect(deltas.map((d) => d.index)).toEqual(deltas.map((_, i) => i));
    expect(deltas.map((d) => d.text).join('')).toMatch(/first token/i);
    const done = events.at(-1)!;
    expect(done).toMatchObject({ type: 'done', finishReason: 'stop', events: events.length });
    expect((done['usage'] as { outputTokens: number }).outputTokens).toBe(deltas.length);

    const spans = await waitForTrace(stack.urls.collector, traceId, hasSpans('chat-gateway stream sse', ...BACKEND));
    const server = find(spans, 'chat-gateway', 'POST /api/chat', KIND.SERVER);
    expect(server.parentSpanId).toBe(spanId);
    expect(server.attributes['http.route']).toBe('/api/chat');
    const stream = find(spans, 'chat-gateway', 'stream sse', KIND.INTERNAL);
    expect(stream.parentSpanId).toBe(server.spanId);
    expect(stream.attributes).toMatchObject({
      'streamtrace.stream.transport': 'sse',
      'streamtrace.stream.outcome': 'complete',
      'streamtrace.stream.deltas': deltas.length,
      'streamtrace.stream.events_sent': events.length,
      'gen_ai.conversation.id': 'conv-1',
    });
    expect(stream.events.map((e) => e.name)).toContain('stream.complete');
    expect(response.headers.get('traceparent')).toContain(stream.spanId);
    expectBackendTree(spans, stream, spanId);
    expectIdsOnGatewaySpans(spans, 'sess-post', 'msg-post');
  });

  it('GET /api/chat/stream takes its context from query parameters (EventSource)', async () => {
    const { traceId, spanId, traceparent } = newTraceparent();
    const query = new URLSearchParams({ message: 'How do EventSource clients reconnect?', traceparent, session_id: 'sess-es', message_id: 'msg-es' });
    const response = await fetch(`${stack.urls.gateway}/api/chat/stream?${query}`, { headers: { accept: 'text/event-stream' } });
    expect(response.headers.get('x-trace-id')).toBe(traceId);
    const events = await readSseEvents(response);
    expect(events.at(-1)?.type).toBe('done');

    const spans = await waitForTrace(stack.urls.collector, traceId, hasSpans('chat-gateway stream sse', ...BACKEND));
    const server = find(spans, 'chat-gateway', 'GET /api/chat/stream', KIND.SERVER);
    expect(server.parentSpanId).toBe(spanId);
    const stream = find(spans, 'chat-gateway', 'stream sse');
    expect(stream.attributes['streamtrace.context.source']).toBe('query');
    expectBackendTree(spans, stream, spanId);
    expectIdsOnGatewaySpans(spans, 'sess-es', 'msg-es');
  });

  it('WebSocket chat joins the trace from query parameters', async () => {
    const { traceId, spanId, traceparent } = newTraceparent();
    const query = new URLSearchParams({ traceparent, session_id: 'sess-ws', message_id: 'msg-ws' });
    const events = await chatOverWebSocket(`${stack.urls.gateway.replace('http', 'ws')}/api/chat/ws?${query}`, {
      message: 'Why can WebSockets not carry custom headers?',
    });
    expect(events[0]).toMatchObject({ type: 'start', traceId, sessionId: 'sess-ws' });
    expect(events.at(-1)).toMatchObject({ type: 'done', events: events.length });

    const spans = await waitForTrace(stack.urls.collector, traceId, hasSpans('chat-gateway stream websocket', ...BACKEND));
    const stream = find(spans, 'chat-gateway', 'stream websocket', KIND.SERVER);
    expect(stream.parentSpanId).toBe(spanId);
    expect(stream.attributes['streamtrace.stream.outcome']).toBe('complete');
    expectBackendTree(spans, stream, spanId);
    expectIdsOnGatewaySpans(spans, 'sess-ws', 'msg-ws');
  });

  it('WebSocket chat falls back to the context in the first frame', async () => {
    const { traceId, spanId, traceparent } = newTraceparent();
    const events = await chatOverWebSocket(`${stack.urls.gateway.replace('http', 'ws')}/api/chat/ws`, {
      message: 'What is backpressure?',
      traceparent,
      session_id: 'sess-frame',
      message_id: 'msg-frame',
    });
    expect(events[0]).toMatchObject({ type: 'start', traceId });
    const spans = await waitForTrace(stack.urls.collector, traceId, hasSpans('chat-gateway stream websocket', ...BACKEND));
    const stream = find(spans, 'chat-gateway', 'stream websocket');
    expect(stream.parentSpanId).toBe(spanId);
    expect(stream.attributes['streamtrace.context.source']).toBe('frame');
    expectIdsOnGatewaySpans(spans, 'sess-frame', 'msg-frame');
  });

  it('each message on one WebSocket gets its own trace from its frame', async () => {
    const first = newTraceparent();
    const second = newTraceparent();
    const socket = new WebSocket(`${stack.urls.gateway.replace('http', 'ws')}/api/chat/ws?traceparent=${first.traceparent}`);
    const starts: string[] = [];
    await new Promise<void>((resolve, reject) => {
      socket.on('open', () => socket.send(JSON.stringify({ message: 'What is a trace?' })));
      socket.on('message', (data) => {
        const event = JSON.parse(data.toString()) as { type: string; traceId?: string };
        if (event.type === 'start') starts.push(event.traceId!);
        if (event.type === 'done' && starts.length === 1) socket.send(JSON.stringify({ message: 'What is a span?', traceparent: second.traceparent }));
        else if (event.type === 'done' || event.type === 'error') resolve();
      });
      socket.on('error', reject);
    });
    socket.close();
    expect(starts).toEqual([first.traceId, second.traceId]);
    const spans = await waitForTrace(stack.urls.collector, second.traceId, hasSpans('chat-gateway stream websocket', ...BACKEND));
    expect(find(spans, 'chat-gateway', 'stream websocket').parentSpanId).toBe(second.spanId);
  });

  it('an invalid traceparent starts a fresh trace instead of joining it', async () => {
    const bad = '00-00000000000000000000000000000000-b7ad6b7169203331-01';
    const response = await fetch(`${stack.urls.gateway}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: bad },
      body: JSON.stringify({ message: 'What is a span?' }),
    });
    const traceId = response.headers.get('x-trace-id')!;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceId).not.toBe('0'.repeat(32));
    const events = await readSseEvents(response);
    expect(events[0]).toMatchObject({ type: 'start', traceId });
    const spans = await waitForTrace(stack.urls.collector, traceId, hasSpans('chat-gateway stream sse', ...BACKEND));
    const server = spans.find((s) => s.service === 'chat-gateway' && s.kind === KIND.SERVER)!;
    expect(server.parentSpanId).toBe('');
    expect(orphans(spans)).toEqual([]);
  });

  it('answers CORS preflights for local origins only', async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.urls.gateway}/api/chat`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'traceparent, x-session-id' },
      });
    const local = await preflight('http://127.0.0.1:41234');
    expect(local.status).toBe(204);
    expect(local.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:41234');
    expect(local.headers.get('access-control-allow-headers')).toMatch(/traceparent.*x-session-id.*x-message-id/);
    const remote = await preflight('https://evil.example');
    expect(remote.headers.get('access-control-allow-origin')).toBeNull();
  });
});
