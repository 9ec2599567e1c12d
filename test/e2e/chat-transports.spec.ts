import { ask, openChat, readMessage } from './fixtures/chat-page.js';
import type { MessageFacts, Transport } from './fixtures/chat-page.js';
import { expect, test } from './fixtures/stack.js';
import { SPAN_KIND, STATUS, descendsFrom, findSpan, waitForTrace } from './fixtures/traces.js';
import type { FlatSpan } from './fixtures/traces.js';

const TRANSPORTS: Transport[] = ['eventsource', 'websocket', 'fetch'];

const isMessage = (s: FlatSpan): boolean => s.service === 'chat-ui' && s.name === 'chat.message';
const isBrowserStream = (s: FlatSpan): boolean => s.service === 'chat-ui' && s.name === 'chat.stream';
const isGatewayStream = (s: FlatSpan): boolean => s.service === 'chat-gateway' && s.name.startsWith('stream ');
const isRetrieval = (s: FlatSpan): boolean =>
  s.service === 'chat-gateway' && s.attributes['gen_ai.operation.name'] === 'retrieval';
const isGatewayChat = (s: FlatSpan): boolean =>
  s.service === 'chat-gateway' && s.attributes['gen_ai.operation.name'] === 'chat' && s.kind === SPAN_KIND.CLIENT;
const isVectorSearch = (s: FlatSpan): boolean => s.service === 'vector-store' && s.name.startsWith('vector.search');
const isModelChat = (s: FlatSpan): boolean => s.service === 'model-service' && s.name.startsWith('chat ');

/** Every layer of one answered message has exported its spans. */
function complete(spans: FlatSpan[]): boolean {
  return [isMessage, isBrowserStream, isGatewayStream, isRetrieval, isGatewayChat, isVectorSearch, isModelChat].every(
    (match) => spans.some(match),
  );
}

function num(span: FlatSpan, key: string): number {
  const value = span.attributes[key];
  expect(typeof value, `${span.name} ${key}`).toBe('number');
  return value as number;
}

/** The gateway span the browser stream's context landed on: the HTTP server span, or for WebSocket the stream span. */
function gatewayEntry(spans: FlatSpan[], browserStream: FlatSpan): FlatSpan {
  return findSpan(
    spans,
    (s) => s.service === 'chat-gateway' && s.parentSpanId === browserStream.spanId,
    'gateway span parented to chat.stream',
  );
}

function assertJoinedTrace(spans: FlatSpan[], facts: MessageFacts, transport: Transport): void {
  const message = findSpan(spans, isMessage, 'chat.message');
  const stream = findSpan(spans, isBrowserStream, 'chat.stream');
  const entry = gatewayEntry(spans, stream);
  const gatewayStream = findSpan(spans, isGatewayStream, 'gateway stream span');
  const retrieval = findSpan(spans, isRetrieval, 'retrieval span');
  const gatewayChat = findSpan(spans, isGatewayChat, 'gateway chat span');
  const vectorSearch = findSpan(spans, isVectorSearch, 'vector.search');
  const modelChat = findSpan(spans, isModelChat, 'model-service chat span');

  // One trace, rooted at the browser message; the page saw the same id in the gateway's `start`.
  expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([facts.traceId]));
  expect(facts.serverTraceId).toBe(facts.traceId);
  expect(message.parentSpanId).toBe('');
  expect(stream.parentSpanId).toBe(message.spanId);
  expect(stream.kind).toBe(SPAN_KIND.CLIENT);
  expect(stream.attributes['streamtrace.stream.transport']).toBe(transport);
  expect([SPAN_KIND.SERVER]).toContain(entry.kind);
  for (const span of [gatewayStream, retrieval, gatewayChat]) {
    expect(span === entry || descendsFrom(spans, span, entry), `${span.name} under ${entry.name}`).toBe(true);
  }
  expect(descendsFrom(spans, vectorSearch, retrieval), 'vector.search under retrieval').toBe(true);
  expect(descendsFrom(spans, modelChat, gatewayChat), 'model chat under gateway chat').toBe(true);

  // Session and message ids: the page's on the browser spans, the same on the backend.
  expect(facts.sessionId).not.toBe('');
  expect(message.attributes['session.id']).toBe(facts.sessionId);
  expect(stream.attributes['session.id']).toBe(facts.sessionId);
  expect(message.attributes['streamtrace.message.id']).toBe(facts.messageId);
  expect(message.attributes['gen_ai.conversation.id']).toBe(facts.conversationId);
  for (const span of [entry, gatewayStream]) {
    expect(span.attributes['session.id'], `${span.name} session.id`).toBe(facts.sessionId);
    expect(span.attributes['streamtrace.message.id'], `${span.name} message id`).toBe(facts.messageId);
  }
}

for (const transport of TRANSPORTS) {
  test.describe(`chat over ${transport}`, () => {
    test('one trace from the browser message to the model, with chunk aggregates', async ({ page, stack }) => {
      await openChat(page, stack.urls.web, transport);
      const answer = await ask(page, 'How does retrieval feed the model?');
      await expect(answer).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
      await expect(answer.getByTestId('answer')).not.toBeEmpty();
      const facts = await readMessage(page, answer);

      // The page counted every event the gateway says it sent.
      expect(facts.serverEvents).not.toBeNull();
      expect(facts.chunks).toBe(facts.serverEvents);
      await expect(answer.getByTestId('trace-link')).toHaveAttribute(
        'href',
        `${stack.urls.collector}/#trace=${facts.traceId}`,
      );

      const spans = await waitForTrace(stack.urls.collector, facts.traceId, complete);
      assertJoinedTrace(spans, facts, transport);

      const message = findSpan(spans, isMessage, 'chat.message');
      const stream = findSpan(spans, isBrowserStream, 'chat.stream');
      const gatewayStream = findSpan(spans, isGatewayStream, 'gateway stream span');
      expect(message.attributes['streamtrace.message.outcome']).toBe('complete');
      expect(message.status.code).not.toBe(STATUS.ERROR);
      expect(num(message, 'streamtrace.ttft_visible_ms')).toBeGreaterThanOrEqual(0);

      // Chunk aggregates: counted events match the server's own count, paint never precedes arrival.
      expect(num(stream, 'streamtrace.stream.chunks')).toBe(facts.serverEvents);
      expect(num(gatewayStream, 'streamtrace.stream.events_sent')).toBe(facts.serverEvents);
      const arrival = num(stream, 'streamtrace.chunk.first_arrival_ms');
      const paint = num(stream, 'streamtrace.chunk.first_paint_ms');
      expect(arrival).toBeGreaterThan(0);
      expect(paint).toBeGreaterThanOrEqual(arrival);
      const p50 = num(stream, 'streamtrace.chunk.render_latency_ms.p50');
      const p95 = num(stream, 'streamtrace.chunk.render_latency_ms.p95');
      const max = num(stream, 'streamtrace.chunk.render_latency_ms.max');
      expect(p50).toBeGreaterThanOrEqual(0);
      expect(p95).toBeGreaterThanOrEqual(p50);
      expect(max).toBeGreaterThanOrEqual(p95);
      expect(num(stream, 'streamtrace.stream.bytes')).toBeGreaterThan(0);
      expect(stream.events.filter((e) => e.name === 'chunk').length).toBeGreaterThan(0);
    });

    test('Stop mid-stream cancels the message and the gateway stream', async ({ page, stack }) => {
      await openChat(page, stack.urls.web, transport);
      const answer = await ask(page, 'Explain streaming traces in detail, step by step, with many examples.');
      // Wait for the answer to be visibly streaming (start + a few deltas), then stop it.
      await expect
        .poll(async () => Number(await answer.getAttribute('data-chunks')), { timeout: 20_000 })
        .toBeGreaterThanOrEqual(3);
      await page.getByTestId('stop-button').click();
      await expect(answer).toHaveAttribute('data-status', 'cancelled');
      await expect(page.getByTestId('send-button')).toBeVisible();
      const facts = await readMessage(page, answer);
      expect(facts.serverEvents).toBeNull();

      const spans = await waitForTrace(
        stack.urls.collector,
        facts.traceId,
        (all) => all.some(isMessage) && all.some(isBrowserStream) && all.some(isGatewayStream),
      );
      const message = findSpan(spans, isMessage, 'chat.message');
      const stream = findSpan(spans, isBrowserStream, 'chat.stream');
      const gatewayStream = findSpan(spans, isGatewayStream, 'gateway stream span');
      expect(message.attributes['streamtrace.message.outcome']).toBe('cancel');
      expect(message.status.code).not.toBe(STATUS.ERROR);
      expect(stream.attributes['streamtrace.stream.outcome']).toBe('cancel');
      expect(gatewayStream.attributes['streamtrace.stream.outcome']).toBe('cancel');
      expect(gatewayStream.events.map((e) => e.name)).toContain('stream.cancel');
      expect(gatewayStream.status.code).not.toBe(STATUS.ERROR);
    });
  });
}
