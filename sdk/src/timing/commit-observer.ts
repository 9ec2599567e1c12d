import { sameTaskArrival } from './clock.js';
import { hostedUnder, onShadowRootAttached, shadowRootsUnder } from './shadow-roots.js';

const OPTIONS: MutationObserverInit = { childList: true, subtree: true, characterData: true };

/**
 * Watches a render target; each mutation batch is a DOM commit of whatever chunks arrived before it.
 * The callback does O(1) work: one cheap time read and the streams' cursor moves, nothing per record.
 * Paused (disconnected) while the message has no stream that can still commit.
 */
export class CommitObserver {
  private mutationObserver: MutationObserver | undefined;
  private observedTarget: Node | undefined;
  private observerPaused = false;
  private unfollowRoots: (() => void) | undefined;

  private declare readonly onCommit: (at: number) => void;
  private declare readonly onTarget: ((target: Node) => void) | undefined;

  /** `onTarget`: told of each target it connects to (rare: not per commit). */
  constructor(onCommit: (at: number) => void, onTarget?: (target: Node) => void) {
    this.onCommit = onCommit;
    this.onTarget = onTarget;
  }

  /** Observes `target` (replacing the previous one); while paused, remembers it for resume(). */
  observe(target: Node): void {
    if (this.observerPaused) {
      this.observedTarget = target;
      return;
    }
    if (target !== this.observedTarget) this.connectTo(target);
  }

  /** No stream is waiting for commits: stop receiving mutations but remember the target. */
  pause(): void {
    if (this.observedTarget === undefined || this.observerPaused) return;
    this.observerPaused = true;
    this.mutationObserver?.disconnect();
    this.stopFollowingShadowRoots();
  }

  /** A stream wants commits again: observe the remembered target. */
  resume(): void {
    if (this.observedTarget === undefined || !this.observerPaused) return;
    this.observerPaused = false;
    this.connectTo(this.observedTarget);
  }

  private connectTo(target: Node): void {
    if (typeof MutationObserver === 'undefined') return;
    this.mutationObserver ??= new MutationObserver(() => {
      try {
        // In the task of the latest fetch read (same wall-clock ms): committed at that arrival.
        const arrival = sameTaskArrival();
        this.onCommit(arrival >= 0 ? arrival : performance.now());
      } catch {
        // Timing is best effort; the page must never see our failure.
      }
    });
    this.mutationObserver.disconnect();
    this.observedTarget = target;
    this.mutationObserver.observe(target, OPTIONS);
    this.followShadowRoots(target);
    this.onTarget?.(target);
  }

  /** Mutations inside shadow roots under the target (web components) are commits too. */
  private followShadowRoots(target: Node): void {
    const observer = this.mutationObserver;
    if (observer === undefined) return;
    const wholePage = typeof document !== 'undefined' && (target === document.body || target === document.documentElement);
    for (const root of shadowRootsUnder(wholePage ? document : target)) observer.observe(root, OPTIONS);
    this.stopFollowingShadowRoots();
    this.unfollowRoots = onShadowRootAttached((root) => {
      const check = (): void => {
        if (this.observedTarget === target && !this.observerPaused && (wholePage || hostedUnder(root, target))) observer.observe(root, OPTIONS);
      };
      // A custom element attaches its root in its constructor, before the app inserts it.
      if (root.host.isConnected || wholePage) check();
      else queueMicrotask(check);
    });
  }

  private stopFollowingShadowRoots(): void {
    this.unfollowRoots?.();
    this.unfollowRoots = undefined;
  }

  /**
   * The app's listener for a chunk returned: the mutations queued so far are a commit at `at`, taken
   * without the observer's callback (one Blink→JS entry less for a renderer that appends inside it).
   */
  flush(at: number): void {
    if (this.mutationObserver === undefined || this.observerPaused || this.observedTarget === undefined) return;
    if (this.mutationObserver.takeRecords().length > 0) this.onCommit(at);
  }

  get observing(): Node | undefined {
    return this.observedTarget;
  }

  disconnect(): void {
    this.mutationObserver?.disconnect();
    this.stopFollowingShadowRoots();
    this.observedTarget = undefined;
    this.observerPaused = false;
  }
}

/**
 * The element a message renders into, when the app did not call `setRenderTarget`:
 * `[data-streamtrace-message="<message id>"]`, else the newest element marked with an empty
 * `data-streamtrace-message` attribute (a generic "the answer streams here" marker); shadow roots
 * the SDK knows of are searched after the document.
 */
export function findRenderTarget(messageId: string): Element | undefined {
  if (typeof document === 'undefined') return undefined;
  const exact = `[data-streamtrace-message="${CSS.escape(messageId)}"]`;
  const scopes: ParentNode[] = [document, ...shadowRootsUnder(document)];
  for (const scope of scopes) {
    const found = scope.querySelector(exact);
    if (found) return found;
  }
  for (const scope of scopes) {
    const generic = scope.querySelectorAll('[data-streamtrace-message=""]');
    if (generic.length > 0) return generic[generic.length - 1] as Element;
  }
  return undefined;
}
