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
  const byId = new Map<string, SpanRecord>();
  for (const span of spans) byId.set(span.spanId, span);
  const nodes = new Map<string, TreeNode>();
  for (const span of byId.values()) nodes.set(span.spanId, { span, children: [], depth: 0, orphan: false });

  const roots: TreeNode[] = [];
  for (const node of nodes.values()) {
    const parentId = node.span.parentSpanId;
    const parent = parentId ? nodes.get(parentId) : undefined;
    if (!parentId) roots.push(node);
    else if (!parent || createsCycle(node, nodes)) {
      node.orphan = true;
      roots.push(node);
    } else parent.children.push(node);
  }

  const byStart = (a: TreeNode, b: TreeNode): number => a.span.startMs - b.span.startMs || a.span.spanId.localeCompare(b.span.spanId);
  // True roots before orphans, then by start.
  roots.sort((a, b) => Number(a.orphan) - Number(b.orphan) || byStart(a, b));
  const rows: TreeNode[] = [];
  let startMs = Infinity;
  let endMs = -Infinity;
  const stack: TreeNode[] = [...roots].reverse();
  for (const root of roots) root.depth = 0;
  while (stack.length) {
    const node = stack.pop()!;
    rows.push(node);
    startMs = Math.min(startMs, node.span.startMs);
    endMs = Math.max(endMs, node.span.endMs);
    node.children.sort(byStart);
    for (let i = node.children.length - 1; i >= 0; i -= 1) {
      const child = node.children[i]!;
      child.depth = node.depth + 1;
      stack.push(child);
    }
  }
  return {
    roots,
    rows,
    startMs: rows.length ? startMs : 0,
    endMs: rows.length ? endMs : 0,
    orphanCount: roots.filter((root) => root.orphan).length,
  };
}

function createsCycle(node: TreeNode, nodes: Map<string, TreeNode>): boolean {
  const seen = new Set<string>([node.span.spanId]);
  let parentId = node.span.parentSpanId;
  while (parentId) {
    if (seen.has(parentId)) return true;
    seen.add(parentId);
    parentId = nodes.get(parentId)?.span.parentSpanId;
  }
  return false;
}
