import { sameTaskArrival } from './clock.js';
import { hostedUnder, onShadowRootAttached, shadowRootsUnder } from './shadow-roots.js';

const OPTIONS: MutationObserverInit = { childList: true, subtree: true, characterData: true };

export interface CommitObserver {
  /** Observes `target` (replacing the previous one); while paused, remembers it for resume(). */
  observe(target: Node): void;
  /** No stream is waiting for commits: stop receiving mutations but remember the target. */
  pause(): void;
  /** A stream wants commits again: observe the remembered target. */
  resume(): void;
  /**
   * The app's listener for a chunk returned: the mutations queued so far are a commit at `at`, taken
   * without the observer's callback (one Blink→JS entry less for a renderer that appends inside it).
   */
  flush(at: number): void;
  readonly observing: Node | undefined;
  disconnect(): void;
}

/**
 * Watches a render target; each mutation batch is a DOM commit of whatever chunks arrived before it.
 * The callback does O(1) work: one cheap time read and the streams' cursor moves, nothing per record.
 * Paused (disconnected) while the message has no stream that can still commit. `onTarget` is told
 * of each target it connects to (rare: not per commit).
 */
export function createCommitObserver(onCommit: (at: number) => void, onTarget?: (target: Node) => void): CommitObserver {
  let mutationObserver: MutationObserver | undefined;
  let observedTarget: Node | undefined;
  let observerPaused = false;
  let unfollowRoots: (() => void) | undefined;

  const stopFollowingShadowRoots = (): void => {
    unfollowRoots?.();
    unfollowRoots = undefined;
  };

  /** Mutations inside shadow roots under the target (web components) are commits too. */
  const followShadowRoots = (observer: MutationObserver, target: Node): void => {
    const wholePage = typeof document !== 'undefined' && (target === document.body || target === document.documentElement);
    for (const root of shadowRootsUnder(wholePage ? document : target)) observer.observe(root, OPTIONS);
    stopFollowingShadowRoots();
    unfollowRoots = onShadowRootAttached((root) => {
      const check = (): void => {
        if (observedTarget === target && !observerPaused && (wholePage || hostedUnder(root, target))) observer.observe(root, OPTIONS);
      };
      // A custom element attaches its root in its constructor, before the app inserts it.
      if (root.host.isConnected || wholePage) check();
      else queueMicrotask(check);
    });
  };

  const connectTo = (target: Node): void => {
    if (typeof MutationObserver === 'undefined') return;
    mutationObserver ??= new MutationObserver(() => {
      try {
        // In the task of the latest fetch read (same wall-clock ms): committed at that arrival.
        const arrival = sameTaskArrival();
        onCommit(arrival >= 0 ? arrival : performance.now());
      } catch {
        // Timing is best effort; the page must never see our failure.
      }
    });
    mutationObserver.disconnect();
    observedTarget = target;
    mutationObserver.observe(target, OPTIONS);
    followShadowRoots(mutationObserver, target);
    onTarget?.(target);
  };

  return {
    observe(target) {
      if (observerPaused) {
        observedTarget = target;
        return;
      }
      if (target !== observedTarget) connectTo(target);
    },
    pause() {
      if (observedTarget === undefined || observerPaused) return;
      observerPaused = true;
      mutationObserver?.disconnect();
      stopFollowingShadowRoots();
    },
    resume() {
      if (observedTarget === undefined || !observerPaused) return;
      observerPaused = false;
      connectTo(observedTarget);
    },
    flush(at) {
      if (mutationObserver === undefined || observerPaused || observedTarget === undefined) return;
      if (mutationObserver.takeRecords().length > 0) onCommit(at);
    },
    get observing() {
      return observedTarget;
    },
    disconnect() {
      mutationObserver?.disconnect();
      stopFollowingShadowRoots();
      observedTarget = undefined;
      observerPaused = false;
    },
  };
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
