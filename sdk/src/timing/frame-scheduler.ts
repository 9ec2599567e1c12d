import type { PresentationOffset } from './presentation-offset.js';

/** Something waiting for the next paint: it marks what it has committed, then receives the paint time. */
export interface PaintWaiter {
  /** Set by the scheduler: already queued for the next frame. */
  queuedForFrame: boolean;
  beforeFrame(): void;
  painted(at: number): void;
}

/**
 * One requestAnimationFrame per frame shared by every stream, then a zero-delay timer set inside the
 * rAF callback: it runs in the first task after the frame's main-thread commit, which tracks real
 * presentation within a frame (see docs measuring.md; checked against Chromium's presentation time
 * by test/e2e/sdk-paint-truth.spec.ts), unlike the rAF timestamp (the frame's start). A timer, not
 * a MessageChannel message: posting one costs about 2.5× as much main-thread time, every frame.
 */
export class FrameScheduler {
  private waitingNext: PaintWaiter[] = [];
  private inFrame: PaintWaiter[] = [];
  private rafPending = false;

  private declare readonly onError: (error: unknown) => void;
  private declare readonly presentationOffset: PresentationOffset | undefined;
  private declare readonly frameStart: (() => void) | undefined;

  /** `frameStart`: runs at the start of each frame the scheduler waits for, before its paint. */
  constructor(onError: (error: unknown) => void, offset?: PresentationOffset, frameStart?: () => void) {
    this.onError = onError;
    this.presentationOffset = offset;
    this.frameStart = frameStart;
  }

  request(waiter: PaintWaiter): void {
    if (waiter.queuedForFrame) return;
    waiter.queuedForFrame = true;
    this.waitingNext.push(waiter);
    if (!this.rafPending && typeof requestAnimationFrame === 'function') {
      this.rafPending = true;
      requestAnimationFrame(this.onFrame);
    }
  }

  private readonly onFrame = (): void => {
    this.rafPending = false;
    const frame = this.waitingNext;
    this.waitingNext = this.inFrame;
    this.inFrame = frame;
    for (let i = 0; i < frame.length; i++) {
      const waiter = frame[i] as PaintWaiter;
      try {
        // Still marked queued: a waiter that commits while catching up is not queued for the next frame.
        waiter.beforeFrame();
      } catch (error) {
        this.onError(error);
      }
      waiter.queuedForFrame = false;
    }
    try {
      this.frameStart?.();
    } catch (error) {
      this.onError(error);
    }
    setTimeout(this.onPainted, 0);
  };

  private readonly onPainted = (): void => {
    let at = performance.now();
    const offset = this.presentationOffset;
    if (offset !== undefined) {
      offset.recordProbe(at);
      at += offset.offsetMs;
    }
    const frame = this.inFrame;
    for (let i = 0; i < frame.length; i++) {
      try {
        (frame[i] as PaintWaiter).painted(at);
      } catch (error) {
        this.onError(error);
      }
    }
    frame.length = 0;
  };
}
