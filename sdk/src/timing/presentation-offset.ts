const FRAME_MS = 1000 / 60;
const PROBES = 16;
const SAMPLES = 3;

/**
 * Learns how long after our paint probe (the zero-delay timer set in rAF, which fires after the
 * main-thread commit) Chromium presents a frame, from its own presentation timestamps: an Element
 * Timing entry's `paintTime` names the frame (its rendering update), our probe of that frame is the
 * first one at or after it, and `presentationTime` − probe is one sample. Chromium presents either
 * 2–3 ms after the commit or at the next vsync (14–15 ms) and switches between the two within a
 * page load, in runs of tens of frames: the estimate is the median of the last 3 samples (the latest
 * while there are fewer). A frame after an idle period (a page's first contentful frame, a stream's
 * first) is presented 4–14 ms after its commit, like neither mode: it is not a sample.
 */
export interface PresentationOffset {
  /** Added to every probe time; 0 until a sample was taken. */
  readonly offsetMs: number;
  /** A probe after an idle period (no probe in the frame before) is stored negated: no sample comes from its frame. */
  recordProbe(at: number): void;
  /**
   * A presentation timestamp of the frame rendered at `paintTime`. Not a sample when we did not probe
   * that frame or the one before it (idle before).
   */
  addEntry(paintTime: number, presentationTime: number): void;
}

export function createPresentationOffset(): PresentationOffset {
  /** The last probe times (performance.now()), a ring. */
  const probeRing = new Float64Array(PROBES);
  let probeNext = 0;
  const samples: number[] = [];
  const self = {
    offsetMs: 0,
    recordProbe(at: number): void {
      const previous = probeRing[(probeNext + PROBES - 1) % PROBES] as number;
      probeRing[probeNext] = at - Math.abs(previous) > 1.25 * FRAME_MS ? -at : at;
      probeNext = (probeNext + 1) % PROBES;
    },
    addEntry(paintTime: number, presentationTime: number): void {
      let probe = Infinity;
      for (let k = 0; k < PROBES; k++) {
        const t = probeRing[k] as number;
        if (Math.abs(t) >= paintTime && Math.abs(t) < Math.abs(probe)) probe = t;
      }
      if (probe < 0 || probe > paintTime + FRAME_MS) return;
      // Without cross-origin isolation the time is coarsened to 4 ms (on average 2 ms late).
      const coarse = presentationTime % 4 === 0 ? 2 : 0;
      // At most 1.25 frames: a frame presented later (the GPU process descheduled) is no mode of Chromium's.
      samples.push(Math.min(1.25 * FRAME_MS, Math.max(0, presentationTime - coarse - probe)));
      if (samples.length > SAMPLES) samples.shift();
      // Until there are 3, the latest: the mean of one sample per mode would be wrong in both.
      self.offsetMs = samples.length < SAMPLES ? (samples[samples.length - 1] as number) : ([...samples].sort((a, b) => a - b)[1] as number);
    },
  };
  return self;
}
