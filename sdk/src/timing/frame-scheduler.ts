import type { PresentationOffset } from './presentation-offset.js';
import { log } from '../diag.js';

/** Something waiting for the next paint: it marks what it has committed, then receives the paint time. */
export interface PaintWaiter {
  /** Set by the scheduler: already queued for the next frame. */
  queuedForFrame: boolean;
  beforeFrame(): void;
  painted(at: number): void;
}

const paintTimingFailed = (error: unknown): void => log.warn('paint timing failed', error);

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

  private declare readonly presentationOffset: PresentationOffset;
  private declare readonly frameStart: () => void;

  /** `frameStart`: runs at the start of each frame the scheduler waits for, before its paint. */
  constructor(offset: PresentationOffset, frameStart: () => void) {
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
        paintTimingFailed(error);
      }
      waiter.queuedForFrame = false;
    }
    try {
      this.frameStart();
    } catch (error) {
      paintTimingFailed(error);
    }
    setTimeout(this.onPainted, 0);
  };

  private readonly onPainted = (): void => {
    let at = performance.now();
    const offset = this.presentationOffset;
    offset.recordProbe(at);
    at += offset.offsetMs;
    const frame = this.inFrame;
    for (let i = 0; i < frame.length; i++) {
      try {
        (frame[i] as PaintWaiter).painted(at);
      } catch (error) {
        paintTimingFailed(error);
      }
    }
    frame.length = 0;
  };
}
