import { describe, expect, it } from 'vitest';
import { loadCorpus } from './corpus.js';
import { createVectorIndex } from './vector-index.js';
import { createEmbedder } from './embed.js';

const passages = await loadCorpus();
const index = createVectorIndex(passages);

describe('vector index over the shipped corpus', () => {
  it('ships a few dozen passages with unique ids', () => {
    expect(passages.length).toBeGreaterThanOrEqual(30);
    expect(new Set(passages.map((p) => p.id)).size).toBe(passages.length);
  });

  it.each([
    ['How long until the first token arrives?', 'llm#time-to-first-token'],
    ['EventSource cannot set custom headers', 'streaming#eventsource-limits'],
    ['trace id, parent span id and trace flags in traceparent', 'tracing#w3c-trace-context'],
    ['how do I avoid buffering memory when the consumer is slow', 'streaming#backpressure'],
    ['batch span processor queue size', 'opentelemetry#batch-span-processor'],
  ])('puts the relevant passage first for %s', (query, expectedId) => {
    const hits = index.search(query, 3);
    expect(hits[0]?.id).toBe(expectedId);
    expect(hits[0]!.score).toBeGreaterThan(hits[2]!.score);
  });

  it('returns topK results in descending score order, deterministically', () => {
    const a = index.search('streaming stalls and timeouts', 5);
    expect(a).toHaveLength(5);
    expect(a.map((h) => h.score)).toEqual([...a.map((h) => h.score)].sort((x, y) => y - x));
    expect(index.search('streaming stalls and timeouts', 5)).toEqual(a);
  });

  it('embeds to unit length, and empty text to the zero vector', () => {
    const embed = createEmbedder(['Server-Sent Events stream text', 'WebSockets are full duplex']);
    const v = embed('Server-Sent Events');
    expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    expect(Math.hypot(...embed('the of and'))).toBe(0);
  });
});
