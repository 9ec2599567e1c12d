import { describe, expect, it } from 'vitest';
import { createPresentationOffset, type PresentationOffset } from './presentation-offset.js';

const FRAME = 1000 / 60;

/** Probes every frame from `start` for `frames` frames; returns their times. */
function probeFrames(offset: PresentationOffset, start: number, frames: number): number[] {
  const times: number[] = [];
  for (let k = 0; k < frames; k++) {
    const at = start + k * FRAME;
    offset.recordProbe(at);
    times.push(at);
  }
  return times;
}

describe('presentation offset', () => {
  it('is 0 until Chromium presented a frame we probed', () => {
    const offset = createPresentationOffset();
    expect(offset.offsetMs).toBe(0);
    offset.addEntry(100, 110);
    expect(offset.offsetMs).toBe(0);
  });

  it('pairs an entry with the probe of the frame rendered at its paintTime, less the 4 ms coarsening bias', () => {
    const offset = createPresentationOffset();
    const probes = probeFrames(offset, 1000, 10);
    const probe = probes[5] as number;
    // Rendered 1.5 ms before our probe ran, presented 2.6 ms after it; coarsened up to a multiple of 4.
    const presented = Math.ceil((probe + 2.6) / 4) * 4;
    offset.addEntry(probe - 1.5, presented);
    expect(offset.offsetMs).toBeCloseTo(presented - 2 - probe, 6);
    expect(offset.offsetMs).toBeGreaterThan(0);
    expect(offset.offsetMs).toBeLessThan(5);
  });

  it('takes a fine-grained presentation time (cross-origin isolated) as it is', () => {
    const offset = createPresentationOffset();
    const probes = probeFrames(offset, 1000, 4);
    offset.addEntry((probes[2] as number) - 1, (probes[2] as number) + 14.3);
    expect(offset.offsetMs).toBeCloseTo(14.3, 6);
  });

  it('learns nothing from a frame that followed an idle period (a stream’s or page’s first frame)', () => {
    const offset = createPresentationOffset();
    probeFrames(offset, 1000, 3);
    const afterIdle = 1000 + 40 * FRAME;
    offset.recordProbe(afterIdle);
    offset.addEntry(afterIdle - 1, afterIdle + 9.3);
    expect(offset.offsetMs).toBe(0);
    // The next frame is continuous again.
    offset.recordProbe(afterIdle + FRAME);
    offset.addEntry(afterIdle + FRAME - 1, afterIdle + FRAME + 3.3);
    expect(offset.offsetMs).toBeCloseTo(3.3, 6);
  });

  it('ignores an entry whose frame we did not probe, and never goes negative', () => {
    const offset = createPresentationOffset();
    const probes = probeFrames(offset, 1000, 5);
    const last = probes[4] as number;
    offset.addEntry(last + 1, last + 20.1);
    expect(offset.offsetMs).toBe(0);
    // Our probe ran late (after the presentation): the offset is 0, not negative.
    offset.addEntry((probes[3] as number) - 1, (probes[3] as number) - 0.7);
    expect(offset.offsetMs).toBe(0);
  });

  it('caps a sample at 1.25 frames: a frame the GPU process presented late is not a mode', () => {
    const offset = createPresentationOffset();
    const probes = probeFrames(offset, 1000, 4);
    offset.addEntry((probes[2] as number) - 1, (probes[2] as number) + 60.1);
    expect(offset.offsetMs).toBeCloseTo(1.25 * FRAME, 6);
  });

  it('follows a switch between Chromium’s two modes: the latest sample, then the median of the last 3', () => {
    const offset = createPresentationOffset();
    const probes = probeFrames(offset, 1000, 16);
    const sample = (k: number, ms: number): void => offset.addEntry((probes[k] as number) - 1, (probes[k] as number) + ms + 0.1);
    sample(2, 2.5);
    expect(offset.offsetMs).toBeCloseTo(2.6, 6);
    sample(4, 14.5); // next-vsync mode: the latest of two
    expect(offset.offsetMs).toBeCloseTo(14.6, 6);
    sample(6, 14.2);
    expect(offset.offsetMs).toBeCloseTo(14.3, 6);
    sample(8, 2.4); // one sample of the other mode is an outlier…
    expect(offset.offsetMs).toBeCloseTo(14.3, 6);
    sample(10, 2.7); // …two are a switch
    expect(offset.offsetMs).toBeCloseTo(2.8, 6);
  });
});
