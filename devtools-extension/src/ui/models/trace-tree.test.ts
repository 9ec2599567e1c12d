import { describe, expect, it } from 'vitest';
import { buildTraceTree } from './trace-tree';
import { criticalPath } from './critical-path';
import { spanRecordsFrom } from './span-record';
import { chatTrace } from '../../testing/chat-trace';
import { resourceSpans, spanIdOf, traceIdOf } from '../../testing/otlp-fixtures';

describe('buildTraceTree', () => {
  it('joins browser and backend spans that arrive in any order into one tree', () => {
    const { browser, gateway } = chatTrace();
    const spans = spanRecordsFrom([gateway, browser]).reverse();
    const tree = buildTraceTree(spans);
    expect(tree.roots).toHaveLength(1);
    expect(tree.orphanCount).toBe(0);
    expect(tree.rows.map((node) => `${'  '.repeat(node.depth)}${node.span.name}`)).toEqual([
      'chat.message',
      '  chat.stream',
      '    POST /api/chat',
      '      retrieval docs',
      '      stream sse',
      '      chat sim-gpt-1',
    ]);
  });

  it('shows spans whose parent has not arrived at the root, marked orphan, and dedupes by span id', () => {
    const { browser, gateway } = chatTrace();
    const backendOnly = spanRecordsFrom([gateway]);
    const tree = buildTraceTree([...backendOnly, ...backendOnly]);
    expect(tree.rows).toHaveLength(4);
    expect(tree.roots.map((root) => [root.span.name, root.orphan])).toEqual([['POST /api/chat', true]]);
    const joined = buildTraceTree([...backendOnly, ...spanRecordsFrom([browser])]);
    expect(joined.orphanCount).toBe(0);
    expect(joined.rows).toHaveLength(6);
  });

  it('breaks parent cycles instead of looping', () => {
    const traceId = traceIdOf(9);
    const tree = buildTraceTree(spanRecordsFrom([resourceSpans('x', [
      { traceId, spanId: spanIdOf(1), parentSpanId: spanIdOf(2), name: 'a', startMs: 1, endMs: 2 },
      { traceId, spanId: spanIdOf(2), parentSpanId: spanIdOf(1), name: 'b', startMs: 1, endMs: 2 },
    ])]));
    expect(tree.rows.map((node) => node.span.name).sort()).toEqual(['a', 'b']);
    expect(tree.orphanCount).toBeGreaterThan(0);
  });

  it('puts the spans that bound the end-to-end time on the critical path', () => {
    const { browser, gateway } = chatTrace();
    const tree = buildTraceTree(spanRecordsFrom([browser, gateway]));
    const names = [...criticalPath(tree)].map((id) => tree.rows.find((node) => node.span.spanId === id)!.span.name);
    // stream sse ends last; before it started, retrieval was running; the model call overlaps it.
    expect(names).toEqual(expect.arrayContaining(['chat.message', 'chat.stream', 'POST /api/chat', 'stream sse', 'retrieval docs']));
    expect(names).not.toContain('chat sim-gpt-1');
  });
});
