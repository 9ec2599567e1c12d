import { wrapMethod } from '../streams/native.js';

/**
 * Shadow roots the page created (web-component chat widgets render there). A MutationObserver of
 * the light tree never sees mutations inside a shadow root, so commit observers also observe the
 * roots under their target. Roots are held weakly and the list is bounded.
 */
const MAX_ROOTS = 512;
const roots: WeakRef<ShadowRoot>[] = [];
const known = new WeakSet<ShadowRoot>();
const listeners = new Set<(root: ShadowRoot) => void>();
/** Subtrees searched for open roots made before we were loaded (or by declarative shadow DOM). */
const scanned = new WeakSet<Node>();

function remember(root: ShadowRoot): void {
  if (known.has(root)) return;
  if (roots.length >= MAX_ROOTS) {
    const live = roots.filter((ref) => ref.deref()?.host.isConnected === true);
    roots.length = 0;
    roots.push(...live.slice(-(MAX_ROOTS - 1)));
  }
  known.add(root);
  roots.push(new WeakRef(root));
}

/** Records every shadow root attached from now on (open or closed; only mutations are observed, never content). */
export function trackShadowRoots(): () => void {
  if (typeof Element === 'undefined' || typeof WeakRef === 'undefined') return () => {};
  return wrapMethod(Element.prototype, 'attachShadow', (original, thisArg, args) => {
    const root = Reflect.apply(original, thisArg, args) as unknown;
    try {
      if (root instanceof ShadowRoot) {
        remember(root);
        for (const listener of listeners) listener(root);
      }
    } catch {
      // Best effort: the page got its shadow root.
    }
    return root;
  });
}

/**
 * The known shadow roots inside `target` (through nested roots), plus open roots that existed before
 * we were loaded. Those are looked for once per target (or once in the whole document, when asked
 * about it), not in the whole page: a walk that costs ~2.5 µs per element on a page's first stream.
 */
export function shadowRootsUnder(target: Node): ShadowRoot[] {
  if (typeof WeakRef === 'undefined') return [];
  if (!scanned.has(target) && !(typeof document !== 'undefined' && scanned.has(document))) {
    scanned.add(target);
    const own = (target as Element).shadowRoot;
    if (own) remember(own);
    const all = (target as ParentNode).querySelectorAll?.('*') ?? [];
    for (let i = 0; i < all.length; i++) {
      const root = (all[i] as Element).shadowRoot;
      if (root) remember(root);
    }
  }
  const found: ShadowRoot[] = [];
  for (const ref of roots) {
    const root = ref.deref();
    if (root !== undefined && hostedUnder(root, target)) found.push(root);
  }
  return found;
}

/** Whether `root`'s host is `target` or inside it, crossing the hosts of enclosing shadow roots. */
export function hostedUnder(root: ShadowRoot, target: Node): boolean {
  let node: Node | undefined = root.host;
  for (let depth = 0; node !== undefined && depth < 32; depth++) {
    if (target.contains(node)) return true;
    const outer = node.getRootNode();
    node = outer instanceof ShadowRoot ? outer.host : undefined;
  }
  return false;
}

/** Calls `listener` for each shadow root attached while subscribed; returns the unsubscriber. */
export function onShadowRootAttached(listener: (root: ShadowRoot) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
