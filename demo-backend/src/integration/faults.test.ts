// Needs the built dist (`npm run build` does it): starts the real stack on free ports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startStack } from '../stack/start-stack.js';
import type { Stack } from '../stack/start-stack.js';
import { abortAfterDeltas, newTraceparent, postChat, readSseEvents } from './chat-client.test-helpers.js';
import { KIND, STATUS_ERROR, find, hasSpans, orphans, waitForTrace } from './trace-reader.test-helpers.js';
import type { FlatSpan } from './trace-reader.test-helpers.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    env: { MODEL_TTFT_MS: '40', MODEL_TOKEN_DELAY_MS: '25', MODEL_JITTER_MS: '5', GATEWAY_TOKEN_TIMEOUT_MS: '2000' },
  });
}, 40_000);
afterAll(async () => {
  await stack?.stop();
});

function post(body: object, traceparent: string, signal?: AbortSignal): Promise<Response> {
  return postChat(stack.urls.gateway, body, { traceparent, sessionId: 'sess-faults', messageId: 'msg-faults', ...(signal ? { signal } : {}) });
}

const outcome = (span: FlatSpan): unknown => span.attributes['streamtrace.stream.outcome'];
const eventNames = (span: FlatSpan): string[] => span.events.map((e) => e.name);

describe('faults and cancellation end every span with the right outcome', () => {
  it('a client abort cancels the gateway stream and stops the model', async () => {
    const { traceId, spanId, traceparent } = newTraceparent();
    const aborter = new AbortController();
    await abortAfterDeltas(await post({ message: 'Explain server-sent events in detail' }, traceparent, aborter.signal), aborter, 3);

    const spans = await waitForTrace(stack.urls.collector, traceId, (all) =>
      hasSpans('chat-gateway stream sse', 'chat-gateway chat sim-gpt-1', 'model-service chat sim-gpt-1')(all),
    );
    const stream = find(spans, 'chat-gateway', 'stream sse');
    expect(outcome(stream)).toBe('cancel');
    const cancel = stream.events.find((e) => e.name === 'stream.cancel');
    expect(cancel?.attributes['streamtrace.cancel.reason']).toBe('client disconnected');
    expect(stream.statusCode).not.toBe(STATUS_ERROR);
    const gatewayChat = find(spans, 'chat-gateway', 'chat sim-gpt-1', KIND.CLIENT);
    expect(outcome(gatewayChat)).toBe('cancel');
    const model = find(spans, 'model-service', 'chat sim-gpt-1');
    expect(outcome(model)).toBe('cancel');
    expect(eventNames(model)).toContain('stream.cancel');
    // The model stopped generating long before the ~100-token answer was complete.
    expect(model.attributes['gen_ai.usage.output_tokens']).toBeLessThan(40);
    expect(orphans(spans, [spanId])).toEqual([]);
  });

  it('closing a WebSocket mid-answer cancels its stream span and the model', async () => {
    const { traceId, traceparent } = newTraceparent();
    const socket = new WebSocket(`${stack.urls.gateway.replace('http', 'ws')}/api/chat/ws?traceparent=${traceparent}`);
    await new Promise<void>((resolve, reject) => {
      let deltas = 0;
      socket.on('open', () => socket.send(JSON.stringify({ message: 'What is a stall?' })));
      socket.on('message', (data) => {
        if ((JSON.parse(data.toString()) as { type: string }).type === 'delta' && ++deltas === 3) {
          socket.close();
          resolve();
        }
      });
      socket.on('error', reject);
    });
    const spans = await waitForTrace(stack.urls.collector, traceId, hasSpans('chat-gateway stream websocket', 'model-service chat sim-gpt-1'));
    expect(outcome(find(spans, 'chat-gateway', 'stream websocket'))).toBe('cancel');
    expect(outcome(find(spans, 'model-service', 'chat sim-gpt-1'))).toBe('cancel');
  });

  it('model-error marks the model, gateway chat and stream spans as errors', async () => {
    const { traceId, traceparent } = newTraceparent();
    const events = await readSseEvents(await post({ message: 'hello', fault: 'model-error' }, traceparent));
    expect(events.map((e) => e.type)).toEqual(['start', 'error']);
    expect(events[1]).toMatchObject({ error: { type: 'model_error' } });

    const spans = await waitForTrace(stack.urls.collector, traceId, hasSpans('chat-gateway stream sse', 'chat-gateway chat sim-gpt-1', 'model-service chat sim-gpt-1'));
    for (const span of [
      find(spans, 'chat-gateway', 'stream sse'),
      find(spans, 'chat-gateway', 'chat sim-gpt-1'),
      find(spans, 'model-service', 'chat sim-gpt-1'),
    ]) {
      expect([span.name, span.statusCode, span.attributes['error.type']]).toEqual([span.name, STATUS_ERROR, 'model_error']);
    }
    expect(eventNames(find(spans, 'chat-gateway', 'stream sse'))).toContain('stream.error');
    expect(find(spans, 'model-service', 'chat sim-gpt-1').attributes['streamtrace.fault']).toBe('model-error');
  });

  it('midstream-error relays some tokens, then an error event', async () => {
    const { traceId, traceparent } = newTraceparent();
    const events = await readSseEvents(await post({ message: 'What is OTLP?', fault: 'midstream-error' }, traceparent));
    expect(events.filter((e) => e.type === 'delta')).toHaveLength(5);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { type: 'midstream_error' } });
    const spans = await waitForTrace(stack.urls.collector, traceId, hasSpans('chat-gateway stream sse', 'model-service chat sim-gpt-1'));
    const stream = find(spans, 'chat-gateway', 'stream sse');
    expect(stream).toMatchObject({ statusCode: STATUS_ERROR });
    expect(stream.attributes).toMatchObject({ 'error.type': 'midstream_error', 'streamtrace.stream.deltas': 5 });
    expect(find(spans, 'model-service', 'chat sim-gpt-1').attributes['error.type']).toBe('midstream_error');
  });

  it('a stalled model becomes a timeout error and the model request is aborted', async () => {
    const { traceId, traceparent } = newTraceparent();
    const events = await readSseEvents(await post({ message: 'What is inter-token latency?', fault: 'stall' }, traceparent));
    expect(events.filter((e) => e.type === 'delta')).toHaveLength(5);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { type: 'timeout' } });
    const spans = await waitForTrace(stack.urls.collector, traceId, hasSpans('chat-gateway stream sse', 'model-service chat sim-gpt-1'));
    expect(find(spans, 'chat-gateway', 'stream sse').attributes['error.type']).toBe('timeout');
    expect(find(spans, 'chat-gateway', 'chat sim-gpt-1')).toMatchObject({ statusCode: STATUS_ERROR, attributes: expect.objectContaining({ 'error.type': 'timeout' }) });
    // The gateway hung up on the stalled model: the model saw the disconnect mid-stall.
    expect(outcome(find(spans, 'model-service', 'chat sim-gpt-1'))).toBe('cancel');
  });

  it('slow-retrieval makes the vector search slow but the answer still completes', async () => {
    const { traceId, traceparent } = newTraceparent();
    const events = await readSseEvents(await post({ message: 'What is vector search?', fault: 'slow-retrieval' }, traceparent));
    expect(events.at(-1)?.type).toBe('done');
    const spans = await waitForTrace(stack.urls.collector, traceId, hasSpans('vector-store vector.search streamtrace-docs', 'model-service chat sim-gpt-1'));
    const search = find(spans, 'vector-store', 'vector.search streamtrace-docs');
    expect(search.attributes['streamtrace.fault']).toBe('slow');
    // 1200 ms injected; a little slack because timers may fire a millisecond early.
    expect(search.durationMs).toBeGreaterThanOrEqual(1150);
    expect(find(spans, 'chat-gateway', 'retrieval streamtrace-docs').durationMs).toBeGreaterThanOrEqual(1150);
  });

  it('rejects a malformed request without opening a stream', async () => {
    const response = await post({ message: '   ', fault: 'nope' }, newTraceparent().traceparent);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/message/);
  });
});
