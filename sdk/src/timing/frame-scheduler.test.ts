import { describe, expect, it } from 'vitest';
import { createFrameScheduler, type FrameScheduler, type PaintWaiter } from './frame-scheduler.js';
import { createPresentationOffset } from './presentation-offset.js';

function nextPaint(scheduler: FrameScheduler): Promise<{ at: number; before: number; after: number }> {
  const before = performance.now();
  return new Promise((resolve) => {
    const waiter: PaintWaiter = {
      queuedForFrame: false,
      beforeFrame: () => undefined,
      painted: (at) => resolve({ at, before, after: performance.now() }),
    };
    scheduler.request(waiter);
  });
}

describe('frame scheduler', () => {
  it('reports the probe time itself while no presentation offset is known', async () => {
    const { at, before, after } = await nextPaint(createFrameScheduler(createPresentationOffset(), () => undefined));
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(after);
  });

  it('adds the learnt commit → presentation offset to every paint time', async () => {
    const offset = createPresentationOffset();
    // Chromium presented a frame we probed 14.3 ms after the probe (its next-vsync mode).
    for (let k = 0; k < 3; k++) offset.recordProbe(10 + k * 16.7);
    offset.addEntry(43, 43.4 + 14.3);
    expect(offset.offsetMs).toBeCloseTo(14.3, 6);
    const scheduler = createFrameScheduler(offset, () => undefined);
    const { at, before, after } = await nextPaint(scheduler);
    expect(at).toBeGreaterThanOrEqual(before + 14.3);
    expect(at).toBeLessThanOrEqual(after + 14.3);
  });

  it('runs its frame-start hook once per frame, before the frame is painted', async () => {
    const order: string[] = [];
    const scheduler = createFrameScheduler(createPresentationOffset(), () => order.push('frame start'));
    const waiter: PaintWaiter = {
      queuedForFrame: false,
      beforeFrame: () => order.push('before frame'),
      painted: () => order.push('painted'),
    };
    scheduler.request(waiter);
    scheduler.request(waiter);
    await new Promise<void>((resolve) => {
      const check = (): void => (order.includes('painted') ? resolve() : void setTimeout(check, 5));
      check();
    });
    expect(order).toEqual(['before frame', 'frame start', 'painted']);
  });
});
