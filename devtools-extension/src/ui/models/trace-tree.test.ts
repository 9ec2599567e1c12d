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

  it('shows spans on a parent cycle, and spans under one, as orphans at the root; the rest of the tree is untouched', () => {
    const traceId = traceIdOf(10);
    const tree = buildTraceTree(spanRecordsFrom([resourceSpans('x', [
      { traceId, spanId: spanIdOf(1), name: 'root', startMs: 0, endMs: 100 },
      { traceId, spanId: spanIdOf(2), parentSpanId: spanIdOf(1), name: 'child', startMs: 10, endMs: 20 },
      { traceId, spanId: spanIdOf(3), parentSpanId: spanIdOf(4), name: 'loop a', startMs: 30, endMs: 40 },
      { traceId, spanId: spanIdOf(4), parentSpanId: spanIdOf(3), name: 'loop b', startMs: 31, endMs: 40 },
      { traceId, spanId: spanIdOf(5), parentSpanId: spanIdOf(3), name: 'under loop', startMs: 32, endMs: 40 },
      { traceId, spanId: spanIdOf(6), parentSpanId: spanIdOf(6), name: 'own parent', startMs: 5, endMs: 6 },
      { traceId, spanId: spanIdOf(7), parentSpanId: spanIdOf(99), name: 'parent missing', startMs: 1, endMs: 2 },
      { traceId, spanId: spanIdOf(8), parentSpanId: spanIdOf(7), name: 'under missing', startMs: 1.5, endMs: 2 },
    ])]));
    expect(tree.rows.map((node) => `${'  '.repeat(node.depth)}${node.span.name}${node.orphan ? ' (orphan)' : ''}`)).toEqual([
      'root',
      '  child',
      'parent missing (orphan)',
      '  under missing',
      'own parent (orphan)',
      'loop a (orphan)',
      'loop b (orphan)',
      'under loop (orphan)',
    ]);
    expect(tree.orphanCount).toBe(5);
  });

  it('orders a large trace depth-first with children by start, whatever order the spans came in', () => {
    const traceId = traceIdOf(11);
    const specs = [{ traceId, spanId: spanIdOf(1), name: 'root', startMs: 0, endMs: 10_000 }];
    for (let step = 0; step < 500; step += 1) {
      const stepId = spanIdOf(1000 + step);
      specs.push({ traceId, spanId: stepId, parentSpanId: spanIdOf(1), name: `step ${step}`, startMs: 10 + step * 10, endMs: 18 + step * 10 } as (typeof specs)[number]);
      specs.push({ traceId, spanId: spanIdOf(5000 + step), parentSpanId: stepId, name: `tool ${step}`, startMs: 11 + step * 10, endMs: 15 + step * 10 } as (typeof specs)[number]);
    }
    const tree = buildTraceTree(spanRecordsFrom([resourceSpans('x', [...specs].reverse())]));
    expect(tree.rows).toHaveLength(1001);
    expect(tree.orphanCount).toBe(0);
    expect(tree.rows.slice(0, 5).map((node) => `${node.depth} ${node.span.name}`)).toEqual(['0 root', '1 step 0', '2 tool 0', '1 step 1', '2 tool 1']);
    expect(tree.rows.at(-1)!.span.name).toBe('tool 499');
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
