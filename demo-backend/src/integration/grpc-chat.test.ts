// Needs the built dist (`npm run build` does it): the real stack on free ports, with the gateway
// calling the model over gRPC (MODEL_TRANSPORT=grpc).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from '../stack/start-stack.js';
import type { Stack } from '../stack/start-stack.js';
import { abortAfterDeltas, newTraceparent, postChat, readSseEvents } from './chat-client.test-helpers.js';
import { KIND, STATUS_ERROR, find, hasSpans, orphans, waitForTrace } from './trace-reader.test-helpers.js';
import type { FlatSpan } from './trace-reader.test-helpers.js';

const RPC = 'grpc.streamtrace.model.v1.ChatModel/StreamChat';
const GRPC_PATH = ['chat-gateway chat sim-gpt-1', `chat-gateway ${RPC}`, `model-service ${RPC}`, 'model-service stream grpc', 'model-service chat sim-gpt-1'];

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    env: { MODEL_TRANSPORT: 'grpc', MODEL_TTFT_MS: '40', MODEL_TOKEN_DELAY_MS: '10', MODEL_JITTER_MS: '4', GATEWAY_TOKEN_TIMEOUT_MS: '2000' },
  });
}, 40_000);
afterAll(async () => {
  await stack?.stop();
});

function post(body: object, traceparent: string, signal?: AbortSignal): Promise<Response> {
  return postChat(stack.urls.gateway, body, { traceparent, sessionId: 'sess-grpc', messageId: 'msg-grpc', ...(signal ? { signal } : {}) });
}

/** gateway `chat` CLIENT → gRPC CLIENT → model gRPC SERVER → `stream grpc` → model `chat`, by parent ids. */
function grpcPath(spans: FlatSpan[]) {
  const chat = find(spans, 'chat-gateway', 'chat sim-gpt-1', KIND.CLIENT);
  const client = find(spans, 'chat-gateway', RPC, KIND.CLIENT);
  const server = find(spans, 'model-service', RPC, KIND.SERVER);
  const stream = find(spans, 'model-service', 'stream grpc');
  const model = find(spans, 'model-service', 'chat sim-gpt-1');
  expect(client.parentSpanId).toBe(chat.spanId);
  expect(server.parentSpanId).toBe(client.spanId);
  expect(stream.parentSpanId).toBe(server.spanId);
  expect(model.parentSpanId).toBe(stream.spanId);
  return { chat, client, server, stream, model };
}

const outcome = (span: FlatSpan): unknown => span.attributes['streamtrace.stream.outcome'];
const eventNames = (span: FlatSpan): string[] => span.events.map((e) => e.name);

describe('gateway → model over gRPC (MODEL_TRANSPORT=grpc)', () => {
  it('streams the answer and traces gateway chat → gRPC client → gRPC server → stream grpc in one trace', async () => {
    expect(stack.urls.modelGrpc).toMatch(/^127\.0\.0\.1:\d+$/);
    const { traceId, spanId, traceparent } = newTraceparent();
    const response = await post({ message: 'What is time to first token?' }, traceparent);
    expect(response.headers.get('x-trace-id')).toBe(traceId);
    const events = await readSseEvents(response);
    const deltas = events.filter((e) => e.type === 'delta');
    expect(deltas.map((d) => d.index)).toEqual(deltas.map((_, i) => i));
    expect(deltas.map((d) => d.text).join('')).toMatch(/first token/i);
    expect(events.at(-1)).toMatchObject({ type: 'done', finishReason: 'stop', usage: { outputTokens: deltas.length }, events: events.length });

    const spans = await waitForTrace(stack.urls.collector, traceId, hasSpans('chat-gateway stream sse', 'vector-store vector.search streamtrace-docs', ...GRPC_PATH));
    expect(orphans(spans, [spanId])).toEqual([]);
    const { chat, client, server, stream, model } = grpcPath(spans);
    expect(chat.parentSpanId).toBe(find(spans, 'chat-gateway', 'stream sse').spanId);
    expect(chat.attributes).toMatchObject({
      'gen_ai.usage.output_tokens': deltas.length,
      'gen_ai.response.finish_reasons': ['stop'],
      'server.port': Number(stack.urls.modelGrpc.split(':')[1]),
    });
    expect(chat.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThan(0.03);
    expect(client.attributes).toMatchObject({ 'rpc.system': 'grpc', 'rpc.grpc.status_code': 0 });
    expect(server.attributes['rpc.grpc.status_code']).toBe(0);
    expect(stream.attributes).toMatchObject({
      'streamtrace.stream.transport': 'grpc',
      'streamtrace.stream.outcome': 'complete',
      'streamtrace.stream.deltas': deltas.length,
      'session.id': 'sess-grpc',
      'streamtrace.message.id': 'msg-grpc',
    });
    // Every delta up to 64 is an event, later ones sampled.
    expect(stream.events.filter((e) => e.name === 'stream.delta').length).toBeGreaterThanOrEqual(Math.min(deltas.length, 64));
    expect(eventNames(stream)).toContain('stream.complete');
    expect(model.attributes).toMatchObject({ 'streamtrace.stream.outcome': 'complete', 'gen_ai.usage.output_tokens': deltas.length });
    // The HTTP path is not used: no POST /v1/chat/completions anywhere in the trace.
    expect(spans.some((s) => s.name.includes('/v1/chat/completions'))).toBe(false);
  });

  it('model-error ends the call with an error status and marks both sides with error.type', async () => {
    const { traceId, spanId, traceparent } = newTraceparent();
    const events = await readSseEvents(await post({ message: 'hello', fault: 'model-error' }, traceparent));
    expect(events.map((e) => e.type)).toEqual(['start', 'error']);
    expect(events[1]).toMatchObject({ error: { type: 'model_error' } });

    const spans = await waitForTrace(stack.urls.collector, traceId, hasSpans('chat-gateway stream sse', ...GRPC_PATH));
    expect(orphans(spans, [spanId])).toEqual([]);
    const { chat, client, server, stream, model } = grpcPath(spans);
    for (const span of [find(spans, 'chat-gateway', 'stream sse'), chat, stream, model]) {
      expect([span.service, span.name, span.statusCode, span.attributes['error.type']]).toEqual([span.service, span.name, STATUS_ERROR, 'model_error']);
    }
    expect(eventNames(stream)).toContain('stream.error');
    // gRPC status UNAVAILABLE (14) on both rpc spans.
    for (const span of [client, server]) expect([span.statusCode, span.attributes['rpc.grpc.status_code']]).toEqual([STATUS_ERROR, 14]);
  });

  it('midstream-error relays five deltas, then an error event typed from the gRPC trailer', async () => {
    const { traceId, traceparent } = newTraceparent();
    const events = await readSseEvents(await post({ message: 'What is OTLP?', fault: 'midstream-error' }, traceparent));
    expect(events.filter((e) => e.type === 'delta')).toHaveLength(5);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { type: 'midstream_error' } });
    const spans = await waitForTrace(stack.urls.collector, traceId, hasSpans('chat-gateway stream sse', ...GRPC_PATH));
    const { chat, stream } = grpcPath(spans);
    expect(chat.attributes['error.type']).toBe('midstream_error');
    expect(stream.attributes).toMatchObject({ 'error.type': 'midstream_error', 'streamtrace.stream.deltas': 5 });
  });

  it('a client abort cancels the gRPC stream: the model stops and records stream.cancel', async () => {
    const { traceId, spanId, traceparent } = newTraceparent();
    const aborter = new AbortController();
    await abortAfterDeltas(await post({ message: 'Explain server-sent events in detail' }, traceparent, aborter.signal), aborter, 3);

    const spans = await waitForTrace(stack.urls.collector, traceId, hasSpans('chat-gateway stream sse', ...GRPC_PATH));
    expect(orphans(spans, [spanId])).toEqual([]);
    const { chat, server, stream, model } = grpcPath(spans);
    expect(outcome(find(spans, 'chat-gateway', 'stream sse'))).toBe('cancel');
    expect(outcome(chat)).toBe('cancel');
    expect(outcome(stream)).toBe('cancel');
    expect(stream.statusCode).not.toBe(STATUS_ERROR);
    expect(stream.events.find((e) => e.name === 'stream.cancel')?.attributes['streamtrace.cancel.reason']).toBe('client cancelled');
    expect(outcome(model)).toBe('cancel');
    expect(server.attributes['rpc.grpc.status_code']).toBe(1);
    // The model stopped long before the ~100-token answer was complete.
    expect(model.attributes['gen_ai.usage.output_tokens']).toBeLessThan(40);
  });

  it('a stalled model becomes a timeout and the gateway cancels the gRPC call', async () => {
    const { traceId, traceparent } = newTraceparent();
    const events = await readSseEvents(await post({ message: 'What is inter-token latency?', fault: 'stall' }, traceparent));
    expect(events.filter((e) => e.type === 'delta')).toHaveLength(5);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { type: 'timeout' } });
    const spans = await waitForTrace(stack.urls.collector, traceId, hasSpans('chat-gateway stream sse', ...GRPC_PATH));
    const { chat, stream, model } = grpcPath(spans);
    expect(chat).toMatchObject({ statusCode: STATUS_ERROR, attributes: expect.objectContaining({ 'error.type': 'timeout' }) });
    expect(outcome(stream)).toBe('cancel');
    expect(outcome(model)).toBe('cancel');
  });
});
