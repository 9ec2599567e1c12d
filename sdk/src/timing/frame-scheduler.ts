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

export interface FrameScheduler {
  request(waiter: PaintWaiter): void;
}

/**
 * One requestAnimationFrame per frame shared by every stream, then a zero-delay timer set inside the
 * rAF callback: it runs in the first task after the frame's main-thread commit, which tracks real
 * presentation within a frame (see docs measuring.md; checked against Chromium's presentation time
 * by test/e2e/sdk-paint-truth.spec.ts), unlike the rAF timestamp (the frame's start). A timer, not
 * a MessageChannel message: posting one costs about 2.5× as much main-thread time, every frame.
 * `frameStart` runs at the start of each frame the scheduler waits for, before its paint.
 */
export function createFrameScheduler(offset: PresentationOffset, frameStart: () => void): FrameScheduler {
  let waitingNext: PaintWaiter[] = [];
  let inFrame: PaintWaiter[] = [];
  let rafPending = false;

  const onPainted = (): void => {
    let at = performance.now();
    offset.recordProbe(at);
    at += offset.offsetMs;
    const frame = inFrame;
    for (let i = 0; i < frame.length; i++) {
      try {
        (frame[i] as PaintWaiter).painted(at);
      } catch (error) {
        paintTimingFailed(error);
      }
    }
    frame.length = 0;
  };

  const onFrame = (): void => {
    rafPending = false;
    const frame = waitingNext;
    waitingNext = inFrame;
    inFrame = frame;
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
      frameStart();
    } catch (error) {
      paintTimingFailed(error);
    }
    setTimeout(onPainted, 0);
  };

  return {
    request(waiter) {
      if (waiter.queuedForFrame) return;
      waiter.queuedForFrame = true;
      waitingNext.push(waiter);
      if (!rafPending && typeof requestAnimationFrame === 'function') {
        rafPending = true;
        requestAnimationFrame(onFrame);
      }
    },
  };
}
