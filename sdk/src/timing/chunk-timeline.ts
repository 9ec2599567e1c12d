import type { Attributes } from '@opentelemetry/api';
import { LatencyHistogram } from './latency-histogram.js';
import { UNSET, ZERO } from './clock.js';
import type { PaintWaiter } from './frame-scheduler.js';

export type PaintSource = 'raf' | 'hidden' | 'none';
const SOURCE_NAMES: readonly (PaintSource | undefined)[] = [undefined, 'raf', 'hidden', 'none'];
const SRC_PENDING = 0;
const SRC_RAF = 1;
const SRC_HIDDEN = 2;
const SRC_NONE = 3;
const SRC_MASK = 0x3f;
/** Flag: this chunk was the latest arrival before a DOM commit, i.e. the one that caused it. */
const CAUSED_COMMIT = 0x40;
const STALL = 0x80;

export type ChunkEventReason = 'first' | 'slowest' | 'stall' | 'sample';

/** A chunk kept as a `chunk` span event: its index, arrival (ms from stream open) and event attributes. */
export interface ChunkEvent {
  index: number;
  arrivalMs: number;
  attributes: Attributes;
}

/** One chunk as reported to the devtools hook (epoch ms). */
export interface ChunkRecord {
  index: number;
  bytes: number;
  arrivalMs: number;
  commitMs?: number;
  paintMs?: number;
  paintSource?: PaintSource;
}

export interface TimelineOptions {
  /** Ring size: the newest `capacity` chunks keep their full timing (devtools series). */
  capacity: number;
  stallMs: number;
  maxEvents: number;
  openedAt: number;
  /** First chunk that got a paint time. */
  onFirstPaint: (at: number) => void;
  /** Every chunk so far has its final timing (called after commits/paints). */
  onSettled: () => void;
  /** Asks for a paint estimate after a commit. */
  requestPaint: (waiter: PaintWaiter) => void;
  /** Runs at the start of each frame the timeline waits for, before it marks what that frame paints. */
  beforeFrame: () => void;
  isHidden: () => boolean;
  /** When the page last became visible: a chunk committed before that was not painted by this frame. */
  visibleSince: () => number;
  /**
   * Aggregates only (a sampled-out trace the unsampled buffer may still keep): counts, bytes, gaps,
   * stalls and the first paint, no per-chunk record, no commit or paint work after the first paint.
   * `promote()` switches to full recording for the chunks that follow.
   */
  lightOnly: boolean;
  /** Light mode: a gap between chunks above this promotes (the trace will be kept as slow). */
  promoteOnGapMs: number;
  /** Light mode: a first arrival or first paint after this time promotes. */
  promoteAfter: number;
  /** Light mode ended: commits matter again. */
  onPromote: () => void;
}

const SLOT_FIELDS = 6; // index, bytes, arrival, commit, paint, reason
/** Slot of the first slowest chunk (slot 0 is the first chunk). */
const SLOWEST_START = 1;
const REASONS: readonly ChunkEventReason[] = ['first', 'slowest', 'stall', 'sample'];

/**
 * Per-stream chunk timing. Arrival → DOM commit → paint estimate for every chunk, in fixed-size
 * typed arrays (a ring), with O(1) allocation-free work per chunk. Keeps aggregates plus a bounded
 * set of chunks for span events: the first, the slowest, stalls and a reservoir sample.
 */
export class ChunkTimeline implements PaintWaiter {
  queuedForFrame = false;
  chunkCount = 0;
  totalBytes = 0;
  firstArrival = UNSET;
  firstPaint = UNSET;
  /** The chunk whose commit was the first painted (a metadata chunk that changes no DOM is not it). */
  firstVisibleIndex = -1;
  firstVisibleArrival = UNSET;
  lastArrival = UNSET;
  gapMax = ZERO;
  stallTotal = 0;
  eventsDropped = 0;
  readonly latencyHist = new LatencyHistogram();
  /** Aggregates only (see TimelineOptions.lightOnly) until promote(). */
  declare lightOnly: boolean;

  private declare readonly ringCap: number;
  private declare readonly ringBytes: Uint32Array;
  private declare readonly ringArrival: Float64Array;
  private declare readonly ringCommit: Float64Array;
  private declare readonly ringPaint: Float64Array;
  private declare readonly ringSource: Uint8Array;
  private commitCursor = 0; // first chunk without a commit
  private paintUpTo = 0; // chunks below this were committed before the current frame's rAF
  private doneCursor = 0; // first chunk not yet finalised

  // Event slots: [first][slowest × k][stall × s][sample × r]
  private declare readonly slots: Float64Array;
  private declare readonly slowestCount: number;
  private declare readonly stallStart: number;
  private declare readonly stallCount: number;
  private declare readonly sampleStart: number;
  private declare readonly sampleCount: number;
  private slowestUsed = 0;
  /** Fastest of the kept slowest chunks: a new chunk is compared with it only (O(1) per chunk). */
  private slowestMinSlot = -1;
  private slowestMinLatency = UNSET;
  private stallUsed = 0;
  private sampleSeen = 0;
  private firstUsed = false;

  // Light mode: what promotes to full recording, and the chunk whose commit may become the first paint.
  private declare readonly promoteAfter: number;
  private declare readonly promoteOnGapMs: number;
  private candidateIndex = -1;
  private candidateArrival = UNSET;
  private candidateCommit = UNSET;

  private declare readonly timelineOptions: TimelineOptions;

  constructor(timelineOptions: TimelineOptions) {
    this.timelineOptions = timelineOptions;
    this.lightOnly = timelineOptions.lightOnly;
    this.promoteAfter = timelineOptions.promoteAfter;
    this.promoteOnGapMs = timelineOptions.promoteOnGapMs;
    this.ringCap = Math.max(16, timelineOptions.capacity | 0);
    this.ringBytes = new Uint32Array(this.ringCap);
    this.ringArrival = new Float64Array(this.ringCap);
    this.ringCommit = new Float64Array(this.ringCap);
    this.ringPaint = new Float64Array(this.ringCap);
    this.ringSource = new Uint8Array(this.ringCap);
    const max = Math.max(0, timelineOptions.maxEvents | 0);
    const rest = Math.max(0, max - 1);
    this.slowestCount = this.stallCount = Math.min(20, Math.floor(rest / 4));
    // rest − 2·⌊rest/4⌋ ≥ 0.
    this.sampleCount = rest - this.slowestCount - this.stallCount;
    this.stallStart = SLOWEST_START + this.slowestCount;
    this.sampleStart = this.stallStart + this.stallCount;
    this.slots = new Float64Array((1 + this.slowestCount + this.stallCount + this.sampleCount) * SLOT_FIELDS).fill(-1);
    if (max === 0) this.firstUsed = true;
  }

  /** A chunk reached the SDK at `at` (performance.now()); returns its index. */
  arrived(bytes: number, at: number): number {
    if (this.lightOnly && (this.firstArrival < 0 ? at > this.promoteAfter : at - this.lastArrival > this.promoteOnGapMs)) this.promote();
    const light = this.lightOnly;
    if (!light && this.chunkCount - this.doneCursor >= this.ringCap) this.finalise(this.doneCursor, true);
    const i = this.chunkCount++;
    let stall = 0;
    this.totalBytes += bytes;
    if (this.firstArrival < 0) this.firstArrival = at;
    else {
      const gap = at - this.lastArrival;
      if (gap > this.gapMax) this.gapMax = gap;
      if (gap > this.timelineOptions.stallMs) {
        this.stallTotal++;
        stall = STALL; // read at finalisation
      }
    }
    this.lastArrival = at;
    if (light) {
      this.eventsDropped++;
      // After the first paint a light timeline has nothing left to learn from commits and paints.
      if (this.firstPaint >= 0) this.doneCursor = this.commitCursor = this.chunkCount;
      return i;
    }
    const r = i % this.ringCap;
    this.ringBytes[r] = bytes;
    this.ringArrival[r] = at;
    this.ringCommit[r] = -1;
    this.ringPaint[r] = -1;
    this.ringSource[r] = (this.timelineOptions.isHidden() ? SRC_HIDDEN : SRC_PENDING) | stall;
    return i;
  }

  /** Full recording from the next chunk on (earlier chunks keep their aggregates only). */
  promote(): void {
    if (!this.lightOnly) return;
    this.lightOnly = false;
    this.candidateIndex = -1;
    this.doneCursor = this.commitCursor = this.paintUpTo = this.chunkCount;
    this.timelineOptions.onPromote();
  }

  /** Whether DOM commits still matter (a light timeline stops caring after its first paint). */
  get needsCommits(): boolean {
    return !this.lightOnly || this.firstPaint < 0;
  }

  /** True while some chunk still waits for a commit or paint. */
  get hasPending(): boolean {
    return this.doneCursor < this.chunkCount;
  }

  /**
   * The render target changed: every chunk not yet committed was committed at `at`. The latest of
   * them caused the commit; older ones waited for it (a throttled renderer really delays them).
   */
  commitAt(at: number): void {
    if (this.commitCursor >= this.chunkCount) return;
    if (this.lightOnly) {
      this.committedLight(at);
      return;
    }
    if (this.commitCursor < this.doneCursor) this.commitCursor = this.doneCursor;
    const hidden = this.timelineOptions.isHidden();
    for (let i = this.commitCursor; i < this.chunkCount; i++) {
      const r = i % this.ringCap;
      this.ringCommit[r] = at;
      // Not finalised yet, so pending or already hidden (SRC_PENDING is 0).
      if (hidden) this.ringSource[r] = (this.ringSource[r] as number) | SRC_HIDDEN;
    }
    const last = (this.chunkCount - 1) % this.ringCap;
    this.ringSource[last] = (this.ringSource[last] as number) | CAUSED_COMMIT;
    this.commitCursor = this.chunkCount;
    if (hidden) {
      this.finaliseUpTo(this.commitCursor);
      if (!this.hasPending) this.timelineOptions.onSettled();
    } else {
      if (!this.queuedForFrame) this.timelineOptions.requestPaint(this);
    }
  }

  private committedLight(at: number): void {
    this.commitCursor = this.chunkCount;
    if (this.firstPaint >= 0 || this.timelineOptions.isHidden()) {
      // Hidden: these chunks get no paint (as in full mode); a later visible commit may still be the first.
      this.doneCursor = this.chunkCount;
      if (this.firstPaint < 0) this.candidateIndex = -1;
      this.timelineOptions.onSettled();
      return;
    }
    if (this.candidateIndex < 0) {
      this.candidateIndex = this.chunkCount - 1;
      this.candidateArrival = this.lastArrival;
      this.candidateCommit = at;
    }
    this.timelineOptions.requestPaint(this);
  }

  private paintedLight(at: number): void {
    const upTo = this.paintUpTo;
    const c = this.candidateIndex;
    if (c >= 0 && c < upTo) {
      if (!this.timelineOptions.isHidden() && this.candidateCommit >= this.timelineOptions.visibleSince()) {
        this.firstPaint = at;
        this.firstVisibleIndex = c;
        this.firstVisibleArrival = this.candidateArrival;
        this.doneCursor = this.commitCursor;
        this.candidateIndex = -1;
        this.timelineOptions.onFirstPaint(at);
        if (at > this.promoteAfter) this.promote();
      } else {
        this.candidateIndex = -1;
        if (this.doneCursor < upTo) this.doneCursor = upTo;
      }
    }
    if (!this.hasPending) this.timelineOptions.onSettled();
  }

  beforeFrame(): void {
    this.timelineOptions.beforeFrame();
    this.paintUpTo = this.commitCursor;
  }

  painted(at: number): void {
    if (this.lightOnly) {
      this.paintedLight(at);
      return;
    }
    const hidden = this.timelineOptions.isHidden();
    const visibleSince = this.timelineOptions.visibleSince();
    const upTo = this.paintUpTo;
    const cap = this.ringCap, source = this.ringSource, commit = this.ringCommit, paint = this.ringPaint, arrival = this.ringArrival;
    // One pass: every chunk committed before this frame's rAF gets its paint and is finalised.
    for (let i = this.doneCursor; i < upTo; i++) {
      const r = i % cap;
      const s = source[r] as number;
      let latency = -1;
      if ((s & SRC_MASK) === SRC_PENDING) {
        if (!hidden && (commit[r] as number) >= visibleSince) {
          paint[r] = at;
          source[r] = s | SRC_RAF;
          latency = at - (arrival[r] as number);
          if (latency >= 0) this.latencyHist.addSample(latency);
          if (this.firstVisibleIndex < 0 && (s & CAUSED_COMMIT) !== 0) {
            this.firstVisibleIndex = i;
            this.firstVisibleArrival = arrival[r] as number;
          }
          if (this.firstPaint < 0) {
            this.firstPaint = at;
            this.timelineOptions.onFirstPaint(at);
          }
        } else {
          source[r] = s | SRC_HIDDEN;
        }
      }
      this.doneCursor = i + 1;
      // Most chunks are not kept as span events: that case without the call (same outcome as select()).
      const seen = this.sampleSeen;
      if (
        this.firstUsed &&
        (s & STALL) === 0 &&
        (latency < 0 || (this.slowestUsed === this.slowestCount && latency <= this.slowestMinLatency)) &&
        seen >= this.sampleCount &&
        this.sampleCount > 0 &&
        seen !== this.sampleNext
      ) {
        this.sampleSeen = seen + 1;
        this.eventsDropped++;
      } else {
        this.selectChunk(i, r, latency, (s & STALL) !== 0);
      }
    }
    if (!this.hasPending) this.timelineOptions.onSettled();
  }

  /** Stream over: whatever is still pending gets no (more) timing. */
  finishTimeline(): void {
    if (this.lightOnly) {
      this.doneCursor = this.commitCursor = this.chunkCount;
      return;
    }
    this.finaliseUpTo(this.chunkCount);
  }

  private finaliseUpTo(upTo: number): void {
    while (this.doneCursor < upTo) this.finalise(this.doneCursor, false);
  }

  /** A chunk not painted by now (painted ones are finalised in painted()) gets no paint: no latency. */
  private finalise(i: number, forced: boolean): void {
    const r = i % this.ringCap;
    const s = this.ringSource[r] as number;
    // SRC_PENDING is 0: pending becomes SRC_NONE, a hidden chunk stays hidden.
    if ((s & SRC_MASK) === SRC_PENDING) this.ringSource[r] = s | SRC_NONE;
    this.doneCursor = i + 1;
    if (this.commitCursor < this.doneCursor && forced) this.commitCursor = this.doneCursor;
    this.selectChunk(i, r, -1, (s & STALL) !== 0);
  }

  private writeSlot(slot: number, i: number, r: number, reason: number): void {
    const o = slot * SLOT_FIELDS;
    this.slots[o] = i;
    this.slots[o + 1] = this.ringBytes[r] as number;
    this.slots[o + 2] = this.ringArrival[r] as number;
    this.slots[o + 3] = this.ringCommit[r] as number;
    this.slots[o + 4] = this.ringPaint[r] as number;
    this.slots[o + 5] = reason;
  }

  private selectChunk(i: number, r: number, latency: number, stall: boolean): void {
    if (!this.firstUsed) {
      this.firstUsed = true;
      this.writeSlot(0, i, r, 0);
      return;
    }
    if (stall && this.stallUsed < this.stallCount) {
      this.writeSlot(this.stallStart + this.stallUsed++, i, r, 2);
      return;
    }
    if (latency >= 0 && this.slowestCount > 0) {
      if (this.slowestUsed < this.slowestCount) {
        this.writeSlot(SLOWEST_START + this.slowestUsed++, i, r, 1);
        if (this.slowestUsed === this.slowestCount) this.findSlowestMin();
        return;
      }
      if (latency > this.slowestMinLatency) {
        // The chunk it displaces is not lost: it competes for the sample like any other.
        const o = this.slowestMinSlot * SLOT_FIELDS;
        for (let f = 0; f < SLOT_FIELDS; f++) this.displaced[f] = this.slots[o + f] as number;
        this.writeSlot(this.slowestMinSlot, i, r, 1);
        this.findSlowestMin();
        this.offerSample(-1, -1);
        return;
      }
    }
    this.offerSample(i, r);
  }

  /** A copy of the slot a slower chunk took over (offered to the sample as `r = -1`). */
  private readonly displaced = new Float64Array(SLOT_FIELDS);

  /**
   * Reservoir sample over the remaining chunks: Algorithm L (Li, 1994) draws random numbers only
   * when a chunk is kept, so a skipped chunk costs one comparison.
   */
  private offerSample(i: number, r: number): void {
    if (this.sampleCount === 0) {
      this.eventsDropped++;
      return;
    }
    const seen = this.sampleSeen++;
    if (seen < this.sampleCount) {
      this.keepSample(this.sampleStart + seen, i, r);
      if (seen + 1 === this.sampleCount) {
        this.sampleW = Math.exp(Math.log(this.randomUnit()) / this.sampleCount);
        this.sampleNext = seen + 1 + this.skipCount();
      }
      return;
    }
    this.eventsDropped++;
    if (seen !== this.sampleNext) return;
    this.keepSample(this.sampleStart + Math.floor(this.randomUnit() * this.sampleCount), i, r);
    this.sampleW *= Math.exp(Math.log(this.randomUnit()) / this.sampleCount);
    this.sampleNext = seen + 1 + this.skipCount();
  }

  private keepSample(slot: number, i: number, r: number): void {
    if (r >= 0) {
      this.writeSlot(slot, i, r, 3);
      return;
    }
    const o = slot * SLOT_FIELDS;
    this.slots.set(this.displaced, o);
    this.slots[o + 5] = 3;
  }

  private sampleW = UNSET; // set with sampleNext, before it is read
  private sampleNext = 0;

  private randomUnit(): number {
    // (0, 1): log(0) would be -Infinity.
    return Math.random() || Number.MIN_VALUE;
  }

  private skipCount(): number {
    const skip = Math.floor(Math.log(this.randomUnit()) / Math.log(1 - this.sampleW));
    return Number.isFinite(skip) && skip > 0 ? skip : 0;
  }

  private findSlowestMin(): void {
    this.slowestMinLatency = Infinity;
    for (let slot = SLOWEST_START; slot < SLOWEST_START + this.slowestCount; slot++) {
      const o = slot * SLOT_FIELDS;
      const kept = (this.slots[o + 4] as number) - (this.slots[o + 2] as number);
      if (kept < this.slowestMinLatency) {
        this.slowestMinLatency = kept;
        this.slowestMinSlot = slot;
      }
    }
  }

  /**
   * The chunks chosen for span events, ordered by index: each one's arrival (ms from stream open)
   * and its `chunk` event attributes (docs/guide.md).
   */
  selectedEvents(): ChunkEvent[] {
    const out: ChunkEvent[] = [];
    const open = this.timelineOptions.openedAt;
    for (let o = 0; o < this.slots.length; o += SLOT_FIELDS) {
      const index = this.slots[o] as number;
      if (index < 0) continue;
      const commit = this.slots[o + 3] as number;
      const paint = this.slots[o + 4] as number;
      const arrivalMs = round((this.slots[o + 2] as number) - open);
      const attributes: Attributes = {
        'streamtrace.chunk.index': index,
        'streamtrace.chunk.bytes': this.slots[o + 1] as number,
        'streamtrace.chunk.arrival_ms': arrivalMs,
        'streamtrace.chunk.reason': REASONS[this.slots[o + 5] as number] as ChunkEventReason,
      };
      if (commit >= 0) attributes['streamtrace.chunk.commit_ms'] = round(commit - open);
      if (paint >= 0) attributes['streamtrace.chunk.paint_ms'] = round(paint - open);
      out.push({ index, arrivalMs, attributes });
    }
    out.sort((a, b) => a.index - b.index);
    return out;
  }

  /** The newest chunks still in the ring (up to `capacity`), times converted by `toEpoch`. */
  chunkSeries(toEpoch: (t: number) => number): ChunkRecord[] {
    const start = Math.max(0, this.chunkCount - this.ringCap);
    const out: ChunkRecord[] = new Array(this.chunkCount - start);
    for (let i = start; i < this.chunkCount; i++) {
      const r = i % this.ringCap;
      const commit = this.ringCommit[r] as number;
      const paint = this.ringPaint[r] as number;
      const source = SOURCE_NAMES[(this.ringSource[r] as number) & SRC_MASK];
      out[i - start] = {
        index: i,
        bytes: this.ringBytes[r] as number,
        arrivalMs: round(toEpoch(this.ringArrival[r] as number)),
        ...(commit >= 0 ? { commitMs: round(toEpoch(commit)) } : {}),
        ...(paint >= 0 ? { paintMs: round(toEpoch(paint)) } : {}),
        ...(source ? { paintSource: source } : {}),
      };
    }
    return out;
  }
}

/** Milliseconds rounded to the microsecond; `-0` (a ZERO start, see clock.ts) becomes 0. */
export function round(ms: number): number {
  return Math.round(ms * 1000) / 1000 + 0;
}
