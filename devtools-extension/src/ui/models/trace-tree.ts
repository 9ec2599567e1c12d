import type { SpanRecord } from './span-record';

export interface TreeNode {
  span: SpanRecord;
  children: TreeNode[];
  depth: number;
  /** Its parent is named but not (yet) known: shown at the root with a marker. */
  orphan: boolean;
}

export interface TraceTree {
  roots: TreeNode[];
  /** Depth-first order, children by start time: the waterfall's rows. */
  rows: TreeNode[];
  startMs: number;
  endMs: number;
  orphanCount: number;
}

/**
 * Builds a trace tree from spans in any order, from any process (browser and backend spans meet
 * through parent span ids). Duplicates by span id keep the last copy; cycles from corrupt
 * parent ids are broken by treating the span as an orphan.
 */
export function buildTraceTree(spans: Iterable<SpanRecord>): TraceTree {
  // Map.set keeps the first insertion's position and the last copy's value.
  const nodes = new Map<string, TreeNode>();
  for (const span of spans) nodes.set(span.spanId, { span, children: [], depth: 0, orphan: false });

  const roots: TreeNode[] = [];
  for (const node of nodes.values()) {
    const parentId = node.span.parentSpanId;
    const parent = parentId ? nodes.get(parentId) : undefined;
    if (!parentId) roots.push(node);
    else if (!parent) {
      node.orphan = true;
      roots.push(node);
    } else parent.children.push(node);
  }
  let walked = depthFirst(roots);
  if (walked.rows.length < nodes.size) {
    // Spans that no root reaches are on a parent cycle or lead into one (so are all their
    // children): each is shown at the root as an orphan, and the tree is walked again.
    const reached = new Set(walked.rows);
    for (const node of nodes.values()) {
      if (reached.has(node)) continue;
      node.orphan = true;
      node.children = [];
      roots.push(node);
    }
    walked = depthFirst(roots);
  }
  const { rows, startMs, endMs } = walked;
  return {
    roots,
    rows,
    startMs: rows.length ? startMs : 0,
    endMs: rows.length ? endMs : 0,
    orphanCount: roots.filter((root) => root.orphan).length,
  };
}

// Span ids are lower-case hex of one length: comparing code units orders them like localeCompare, much faster.
const byStart = (a: TreeNode, b: TreeNode): number =>
  a.span.startMs - b.span.startMs || (a.span.spanId < b.span.spanId ? -1 : a.span.spanId > b.span.spanId ? 1 : 0);

/** Sorts the roots (true roots before orphans, then by start) and lists the nodes depth-first, children by start. */
function depthFirst(roots: TreeNode[]): { rows: TreeNode[]; startMs: number; endMs: number } {
  roots.sort((a, b) => Number(a.orphan) - Number(b.orphan) || byStart(a, b));
  const rows: TreeNode[] = [];
  let startMs = Infinity;
  let endMs = -Infinity;
  const stack: TreeNode[] = [...roots].reverse();
  for (const root of roots) root.depth = 0;
  while (stack.length) {
    const node = stack.pop()!;
    rows.push(node);
    if (node.span.startMs < startMs) startMs = node.span.startMs;
    if (node.span.endMs > endMs) endMs = node.span.endMs;
    if (node.children.length > 1) node.children.sort(byStart);
    for (let i = node.children.length - 1; i >= 0; i -= 1) {
      const child = node.children[i]!;
      child.depth = node.depth + 1;
      stack.push(child);
    }
  }
  return { rows, startMs, endMs };
}
