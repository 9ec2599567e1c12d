export interface DeltaEventOptions {
  /** Deltas from index `keepFirst` on get an event only every `sampleEvery`th time (default 10). */
  sampleEvery?: number;
  /** Most `stream.delta` events per span (default 200): bounds span size on long answers. */
  max?: number;
  /** Every delta below this index gets an event (default 64). */
  keepFirst?: number;
}

// Beyond this, one span's events would dominate exports and the collector's memory.
const HARD_MAX = 10_000;

export interface DeltaSampler {
  /** Whether the delta with this 0-based index gets a span event. */
  take(index: number): boolean;
  /** Deltas that got an event. */
  readonly taken: number;
}

export function createDeltaSampler(options: DeltaEventOptions = {}): DeltaSampler {
  const sampleEvery = whole(options.sampleEvery, 10, 1);
  const max = Math.min(whole(options.max, 200, 0), HARD_MAX);
  const keepFirst = whole(options.keepFirst, 64, 0);
  let taken = 0;
  return {
    take(index) {
      const wanted = index < keepFirst || (index - keepFirst) % sampleEvery === 0;
      if (wanted && taken < max) {
        taken++;
        return true;
      }
      return false;
    },
    get taken() {
      return taken;
    },
  };
}

function whole(value: number | undefined, fallback: number, min: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.max(min, Math.floor(value)) : fallback;
}
