import { UNSET, ZERO } from './clock.js';

/**
 * Streaming quantiles for render latency: a fixed log-scale histogram (±2.5 % relative error),
 * so per-chunk work is O(1) and allocation-free however long the answer is.
 */
const GROWTH = 1.05;
const LOG_GROWTH = Math.log(GROWTH);
const BUCKETS = 320; // covers 0 .. ~5.8e6 ms

export class LatencyHistogram {
  private readonly bucketCounts = new Uint32Array(BUCKETS);
  sampleTotal = 0;
  maxMs = ZERO;

  private lastValue = UNSET;
  private lastBucket = 0;

  addSample(ms: number): void {
    const v = ms > 0 ? ms : 0;
    // Coarse clocks make equal latencies common (chunks of one read painted by one frame): skip the log.
    let bucket = this.lastBucket;
    if (v !== this.lastValue) {
      bucket = v < 1 ? 0 : Math.min(BUCKETS - 1, 1 + Math.floor(Math.log(v) / LOG_GROWTH));
      this.lastValue = v;
      this.lastBucket = bucket;
    }
    this.bucketCounts[bucket] = (this.bucketCounts[bucket] as number) + 1;
    this.sampleTotal++;
    if (v > this.maxMs) this.maxMs = v;
  }

  /** Value at quantile q (0..1), the midpoint of its bucket, capped at the exact max. */
  quantile(q: number): number | undefined {
    if (this.sampleTotal === 0) return undefined;
    const rank = Math.max(1, Math.ceil(q * this.sampleTotal));
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.bucketCounts[b] as number;
      if (seen >= rank) {
        if (b === 0) return Math.min(0.5, this.maxMs);
        const low = Math.pow(GROWTH, b - 1);
        return Math.min(this.maxMs, (low + low * GROWTH) / 2);
      }
    }
    return this.maxMs;
  }
}
