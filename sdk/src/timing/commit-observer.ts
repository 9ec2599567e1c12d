import { sameTaskArrival } from './clock.js';
import { onNextFrame } from './frame-scheduler.js';

const OPTIONS: MutationObserverInit = { childList: true, subtree: true, characterData: true };

/**
 * Watches a render target; each mutation batch is a DOM commit of whatever chunks arrived before it.
 * The callback does O(1) work: one cheap time read and the streams' cursor moves, nothing per record.
 * Paused (disconnected) while the message has no stream that can still commit.
 *
 * Resting: once a frame has shown that the app renders a chunk in the task the chunk arrived in
 * (inside its message listener, or in the microtasks after a fetch read), the observer disconnects
 * until the next frame and takes every later chunk of that frame as committed at its arrival
 * (`flush`). Watching a render target makes the browser build a MutationRecord per DOM change
 * (about as much main-thread time as the rest of the SDK's per-chunk work); resting pays for that
 * once per frame, not once per chunk. A renderer that commits later (React-style batching) never
 * lets the observer rest: each of its commits is seen by the callback.
 */
export class CommitObserver {
  private observer: MutationObserver | undefined;
  private target: Node | undefined;
  private paused = false;
  /** Disconnected until the next frame; chunks are committed at arrival (see the class comment). */
  resting = false;

  constructor(private readonly onCommit: (at: number) => void) {}

  /** Observes `target` (replacing the previous one); while paused, remembers it for resume(). */
  observe(target: Node): void {
    if (this.paused) {
      this.target = target;
      return;
    }
    if (target !== this.target) this.connect(target);
  }

  /** No stream is waiting for commits: stop receiving mutations but remember the target. */
  pause(): void {
    if (this.target === undefined || this.paused) return;
    this.paused = true;
    this.resting = false;
    this.observer?.disconnect();
  }

  /** A stream wants commits again: observe the remembered target. */
  resume(): void {
    if (this.target === undefined || !this.paused) return;
    this.paused = false;
    this.connect(this.target);
  }

  private connect(target: Node): void {
    if (typeof MutationObserver === 'undefined') return;
    this.observer ??= new MutationObserver(() => {
      try {
        // In the task of the latest fetch read (same wall-clock ms): committed at that arrival.
        const arrival = sameTaskArrival();
        this.onCommit(arrival >= 0 ? arrival : performance.now());
        if (arrival >= 0) this.rest();
      } catch {
        // Timing is best effort; the page must never see our failure.
      }
    });
    this.observer.disconnect();
    this.resting = false;
    this.target = target;
    this.observer.observe(target, OPTIONS);
  }

  /**
   * A chunk was just handed to the app (its listener returned, or a fetch read was passed on): the
   * mutations queued so far are a commit at `at`, taken without the observer's callback. Resting,
   * the chunk is committed at `at` without looking.
   */
  flush(at: number): void {
    if (this.observer === undefined || this.paused || this.target === undefined) return;
    if (this.resting) {
      this.onCommit(at);
      return;
    }
    if (this.observer.takeRecords().length > 0) {
      this.onCommit(at);
      this.rest();
    }
  }

  /** After a commit in the chunk's own task: stop watching until the next frame (the commit asked for one). */
  private rest(): void {
    if (this.resting || this.paused || !onNextFrame(this.wake)) return;
    this.resting = true;
    this.observer?.disconnect();
  }

  private readonly wake = (): void => {
    if (!this.resting) return;
    this.resting = false;
    if (!this.paused && this.target !== undefined) this.observer?.observe(this.target, OPTIONS);
  };

  get observing(): Node | undefined {
    return this.target;
  }

  disconnect(): void {
    this.observer?.disconnect();
    this.target = undefined;
    this.paused = false;
    this.resting = false;
  }
}

/**
 * The element a message renders into, when the app did not call `setRenderTarget`:
 * `[data-streamtrace-message="<message id>"]`, else the newest element marked with an empty
 * `data-streamtrace-message` attribute (a generic "the answer streams here" marker).
 */
export function findRenderTarget(messageId: string): Element | undefined {
  if (typeof document === 'undefined') return undefined;
  const exact = document.querySelector(`[data-streamtrace-message="${CSS.escape(messageId)}"]`);
  if (exact) return exact;
  const generic = document.querySelectorAll('[data-streamtrace-message=""]');
  return generic.length > 0 ? (generic[generic.length - 1] as Element) : undefined;
}
