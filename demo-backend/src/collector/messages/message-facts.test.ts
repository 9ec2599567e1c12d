import { describe, expect, it } from 'vitest';
import { normalizeTraces } from '../normalize-traces.js';
import { extractMessageFacts } from './message-facts.js';
import { messageTrace } from './message-trace.test-helpers.js';

interface RawSpan {
  spanId: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: Record<string, unknown> }[];
}

function rawSpans(body: Record<string, unknown>): RawSpan[] {
  const resources = body['resourceSpans'] as { scopeSpans: { spans: RawSpan[] }[] }[];
  return resources.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
}

describe('extractMessageFacts', () => {
  it('blames the failed span with no failed child, even when its caller ended first', () => {
    const failed = messageTrace({ messageId: 'failed', modelError: true, retrievalMs: 50, durationMs: 800 });
    const client = rawSpans(failed.body).find((span) => span.spanId === failed.spanIds.chatClient)!;
    // The gateway's client span ends on the 500 response, before the model's own span is exported as ended.
    client.endTimeUnixNano = String(BigInt(client.startTimeUnixNano) + 1_000_000n);

    const facts = extractMessageFacts(failed.traceId, normalizeTraces(failed.body, 'hex').data);

    expect(facts?.firstError).toMatchObject({ service: 'model-service', spanName: 'chat sim-gpt-1', errorType: 'model_error' });
  });

  it('measures render from the first chunk that changed the DOM, not from a metadata chunk before it', () => {
    const trace = messageTrace({ messageId: 'm', ttftVisibleMs: 700, retrievalMs: 50, modelTtfcMs: 300, ttfbMs: 400, firstArrivalMs: 60, firstPaintMs: 690 });
    const stream = rawSpans(trace.body).find((span) => span.spanId === trace.spanIds.stream)!;
    stream.attributes.push({ key: 'streamtrace.chunk.first_visible_arrival_ms', value: { doubleValue: 680 } });

    const facts = extractMessageFacts(trace.traceId, normalizeTraces(trace.body, 'hex').data);

    expect(facts?.layers.render).toBe(10);
    expect(facts?.layers.transport).toBe(290);
  });
});
