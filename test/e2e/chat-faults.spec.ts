import { ask, openChat, readMessage } from './fixtures/chat-page.js';
import type { Transport } from './fixtures/chat-page.js';
import { expect, test } from './fixtures/stack.js';
import { SPAN_KIND, STATUS, findSpan, waitForTrace } from './fixtures/traces.js';
import type { FlatSpan } from './fixtures/traces.js';

const isMessage = (s: FlatSpan): boolean => s.service === 'chat-ui' && s.name === 'chat.message';
const isBrowserStream = (s: FlatSpan): boolean => s.service === 'chat-ui' && s.name === 'chat.stream';
const isGatewayStream = (s: FlatSpan): boolean => s.service === 'chat-gateway' && s.name.startsWith('stream ');
const isGatewayChat = (s: FlatSpan): boolean =>
  s.service === 'chat-gateway' && s.attributes['gen_ai.operation.name'] === 'chat' && s.kind === SPAN_KIND.CLIENT;
const isModelChat = (s: FlatSpan): boolean => s.service === 'model-service' && s.name.startsWith('chat ');
const isRetrieval = (s: FlatSpan): boolean =>
  s.service === 'chat-gateway' && s.attributes['gen_ai.operation.name'] === 'retrieval';
const isVectorSearch = (s: FlatSpan): boolean => s.service === 'vector-store' && s.name.startsWith('vector.search');

const all =
  (...matchers: ((s: FlatSpan) => boolean)[]) =>
  (spans: FlatSpan[]): boolean =>
    matchers.every((match) => spans.some(match));

const durationMs = (span: FlatSpan): number => Number(span.endNs - span.startNs) / 1e6;

/**
 * Model-side faults: the page shows the gateway's `error` event, the browser message is an error
 * with the same `error.type` as the failing gateway layer, and the model span names the fault.
 */
const MODEL_FAULTS = [
  { fault: 'model-error', errorType: 'model_error', deltas: false },
  { fault: 'midstream-error', errorType: 'midstream_error', deltas: true },
  // The model goes silent after a few tokens; the gateway gives up after its token timeout.
  { fault: 'stall', errorType: 'timeout', deltas: true },
] as const;

const TRANSPORTS: Transport[] = ['eventsource', 'websocket', 'fetch'];

for (const { fault, errorType, deltas } of MODEL_FAULTS) {
  for (const transport of TRANSPORTS) {
    test(`${fault} over ${transport} marks the browser message and the failing backend layer`, async ({
      page,
      stack,
    }) => {
      await openChat(page, stack.urls.web, transport, fault);
      const answer = await ask(page, 'What happens when the model fails?');
      await expect(answer).toHaveAttribute('data-status', 'error', { timeout: 30_000 });
      await expect(answer.getByTestId('message-status')).toHaveText('Error');
      await expect(answer.getByTestId('message-error')).toContainText(`${errorType}:`);
      if (deltas) await expect(answer.getByTestId('answer')).not.toBeEmpty();
      else await expect(answer.getByTestId('answer')).toBeEmpty();
      const facts = await readMessage(page, answer);

      const spans = await waitForTrace(
        stack.urls.collector,
        facts.traceId,
        all(isMessage, isBrowserStream, isGatewayStream, isGatewayChat, isModelChat),
      );
      const message = findSpan(spans, isMessage, 'chat.message');
      const stream = findSpan(spans, isBrowserStream, 'chat.stream');
      const gatewayStream = findSpan(spans, isGatewayStream, 'gateway stream span');
      const gatewayChat = findSpan(spans, isGatewayChat, 'gateway chat span');
      const modelChat = findSpan(spans, isModelChat, 'model chat span');

      // Browser side.
      expect(message.attributes['streamtrace.message.outcome']).toBe('error');
      expect(message.status.code).toBe(STATUS.ERROR);
      expect(message.attributes['error.type']).toBe(errorType);
      // The stream carried every event the gateway sent, the error event included.
      expect(stream.attributes['streamtrace.stream.chunks']).toBe(facts.chunks);
      expect(gatewayStream.attributes['streamtrace.stream.events_sent']).toBe(facts.chunks);

      // Backend side: the failing layer has the error, the stream span reports it, the model names the fault.
      expect(gatewayChat.status.code).toBe(STATUS.ERROR);
      expect(gatewayChat.attributes['error.type']).toBe(errorType);
      expect(gatewayChat.attributes['streamtrace.fault']).toBe(fault);
      expect(gatewayStream.status.code).toBe(STATUS.ERROR);
      expect(gatewayStream.attributes['streamtrace.stream.outcome']).toBe('error');
      expect(gatewayStream.attributes['error.type']).toBe(errorType);
      expect(modelChat.attributes['streamtrace.fault']).toBe(fault);
      if (fault === 'stall') {
        // The silence is longer than the SDK's stall threshold: the browser stream counts it.
        expect(stream.attributes['streamtrace.chunk.stalls']).toBeGreaterThanOrEqual(1);
        expect(stream.attributes['streamtrace.chunk.gap_ms.max']).toBeGreaterThan(2000);
        // The model span ends (cancelled) only when the gateway hangs up; the gateway is where it failed.
        expect(modelChat.status.code).not.toBe(STATUS.ERROR);
      } else {
        expect(modelChat.status.code).toBe(STATUS.ERROR);
        expect(modelChat.attributes['error.type']).toBe(errorType);
      }
    });
  }
}

test('slow-retrieval completes, with the delay on the vector search and inside the visible time to first token', async ({
  page,
  stack,
}) => {
  await openChat(page, stack.urls.web, 'fetch', 'slow-retrieval');
  const answer = await ask(page, 'Why is my answer slow to start?');
  await expect(answer).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  const facts = await readMessage(page, answer);

  const spans = await waitForTrace(
    stack.urls.collector,
    facts.traceId,
    all(isMessage, isBrowserStream, isRetrieval, isVectorSearch, isGatewayChat),
  );
  const message = findSpan(spans, isMessage, 'chat.message');
  const retrieval = findSpan(spans, isRetrieval, 'retrieval span');
  const vectorSearch = findSpan(spans, isVectorSearch, 'vector.search');
  expect(message.attributes['streamtrace.message.outcome']).toBe('complete');
  expect(vectorSearch.attributes['streamtrace.fault']).toBe('slow');
  expect(retrieval.status.code).not.toBe(STATUS.ERROR);
  // The injected delay (VECTOR_STORE_SLOW_MS, 1200 ms by default) sits in the search, and the
  // user waited through all of retrieval before seeing the first token.
  expect(durationMs(vectorSearch)).toBeGreaterThanOrEqual(1000);
  expect(message.attributes['streamtrace.ttft_visible_ms']).toBeGreaterThanOrEqual(durationMs(retrieval));
});
