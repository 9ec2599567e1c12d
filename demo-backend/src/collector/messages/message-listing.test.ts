import { describe, expect, it } from 'vitest';
import { normalizeTraces } from '../normalize-traces.js';
import { createSpanStore } from '../span-store.js';
import { hexId, otlpJson } from '../fixtures.test-helpers.js';
import { messageTrace } from './message-trace.test-helpers.js';
import { PREVIEW_CHARS } from './message-listing.js';

function storeWith(...bodies: Array<Record<string, unknown>>) {
  const store = createSpanStore({ maxSpans: 1000 });
  for (const body of bodies) store.add(normalizeTraces(body, 'hex').data);
  return store;
}

describe('trace list rows (GET /api/traces summaries)', () => {
  it('carries what a message list row shows, so the panel needs no spans to list a message', () => {
    const answer = JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Paris   is the\ncapital.' }] }]);
    const trace = messageTrace({ startMs: 1_764_182_400_000, durationMs: 2000, ttftVisibleMs: 412.5, transport: 'websocket', conversationId: 'c-9', sessionId: 's-1', messageId: 'm-1', answer });
    const [summary] = storeWith(trace.body).list();
    expect(summary).toMatchObject({
      traceId: trace.traceId,
      status: 'complete',
      rootDurationMs: 2000,
      sessionId: 's-1',
      messageId: 'm-1',
      message: {
        startTimeUnixNano: '1764182400000000000',
        conversationId: 'c-9',
        transport: 'websocket',
        ttftVisibleMs: 412.5,
        preview: 'Paris is the capital.',
      },
    });
  });

  it('says cancel and error from the message outcome or its status, pending until chat.message arrives', () => {
    const cancelled = messageTrace({ outcome: 'cancel' });
    const failed = messageTrace({ modelError: true });
    const store = storeWith(cancelled.body, failed.body);
    const byId = new Map(store.list().map((summary) => [summary.traceId, summary]));
    expect(byId.get(cancelled.traceId)?.status).toBe('cancel');
    expect(byId.get(failed.traceId)?.status).toBe('error');

    // Only the browser stream so far (the chat.message span ends last): pending, still a chat row.
    const traceId = hexId(16);
    const streamOnly = otlpJson('browser', [{ traceId, name: 'chat.stream', parentSpanId: hexId(8) }]);
    const [pending] = storeWith(streamOnly).list();
    expect(pending).toMatchObject({ status: 'pending', message: {} });
    expect(pending?.message?.startTimeUnixNano).toBeUndefined();
  });

  it('lists other traces by their root: complete once it arrived, no message part', () => {
    const traceId = hexId(16);
    const [backend] = storeWith(otlpJson('svc', [{ traceId, name: 'GET /health' }])).list();
    expect(backend?.status).toBe('complete');
    expect(backend?.message).toBeUndefined();
    const orphanId = hexId(16);
    const [orphan] = storeWith(otlpJson('svc', [{ traceId: orphanId, name: 'child', parentSpanId: hexId(8) }])).list();
    expect(orphan?.status).toBe('pending');
  });

  it('cuts a long answer to a row (bounded summary)', () => {
    const answer = JSON.stringify([{ role: 'assistant', content: 'x'.repeat(10_000) }]);
    const [summary] = storeWith(messageTrace({ answer }).body).list();
    expect(summary?.message?.preview).toHaveLength(PREVIEW_CHARS);
    expect(summary?.message?.preview?.endsWith('…')).toBe(true);
  });
});
