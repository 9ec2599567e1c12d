import type { TraceTree, TreeNode } from './trace-tree';

/**
 * The chain of spans that bounds the trace's end-to-end time: from each span, the child that
 * finished last, then the child that finished last before that one started, and so on.
 * Children that end after their parent (clock skew between processes) are clamped to it.
 */
export function criticalPath(tree: TraceTree): Set<string> {
  const onPath = new Set<string>();
  const root = tree.roots.filter((node) => !node.orphan).sort((a, b) => b.span.endMs - b.span.startMs - (a.span.endMs - a.span.startMs))[0];
  if (!root) return onPath;
  walk(root, root.span.endMs, onPath);
  return onPath;
}

function walk(node: TreeNode, limitMs: number, onPath: Set<string>): void {
  onPath.add(node.span.spanId);
  let cursor = Math.min(node.span.endMs, limitMs);
  const children = [...node.children].sort((a, b) => b.span.endMs - a.span.endMs);
  for (const child of children) {
    const childEnd = Math.min(child.span.endMs, cursor);
    if (child.span.startMs > cursor) continue;
    if (childEnd < child.span.startMs) continue;
    walk(child, childEnd, onPath);
    cursor = child.span.startMs;
    if (cursor <= node.span.startMs) break;
  }
}
