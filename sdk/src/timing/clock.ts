/**
 * Milliseconds since the page's time origin. `performance.now()` costs about 1 µs in a page that is
 * not cross-origin isolated (its result is coarsened with jitter), Date.now() about 0.07 µs: the
 * per-chunk paths read event timestamps and the wall clock instead where they can.
 */
export const now = (): number => performance.now();

// UNSET and ZERO: first values of fields that will hold times or other fractions. Neither is a small
// integer, so V8 stores the field as a double from the start. A field created as `-1` or `0` that
// later gets a fraction changes its object's hidden class during the stream: the optimised per-chunk
// code built for it is thrown away, and again for the next message's objects (docs/performance.md § 1).

/** "None yet": every check of such a field is `< 0` or `>= 0`. */
export const UNSET = -0.5;
/** A sum or maximum's start: equal to 0 in every comparison, in arithmetic and in JSON (`round()` reports it as 0). */
export const ZERO = -0;

let lastWall = -1;
let lastAt = -1;

/**
 * Time of a chunk arrival seen now. Within one wall-clock millisecond every arrival shares one
 * `performance.now()` read (at most 1 ms early, well inside a frame; the clock is coarsened to
 * 100 µs anyway): a burst of chunks costs one Date.now() each and one clock read per millisecond.
 */
export function arrivalTime(): number {
  const wall = Date.now();
  if (wall !== lastWall) {
    lastWall = wall;
    lastAt = performance.now();
  }
  return lastAt;
}

/**
 * The latest arrivalTime() when it was read in this wall-clock millisecond, else -1. A DOM commit
 * seen now (a fetch renderer that appends in the microtasks after the read) is stamped with that
 * arrival, without a `performance.now()` read; -1 means a later commit (a throttled renderer).
 */
export function sameTaskArrival(): number {
  return lastWall >= 0 && Date.now() === lastWall ? lastAt : -1;
}

/**
 * An event's `timeStamp` when it is a `performance.now()`-based time (Chromium, Firefox, Safari):
 * the moment the browser created the event, read without a clock call. Otherwise arrivalTime().
 */
export function eventTime(event: Event): number {
  if (eventStampsOk) {
    const t = event.timeStamp;
    return t > 0 ? t : arrivalTime();
  }
  if (eventStampsOk === undefined) {
    // Checked once per page: some engines once used epoch milliseconds here.
    const n = performance.now();
    const t = event.timeStamp;
    eventStampsOk = typeof t === 'number' && t > 0 && t <= n + 1 && n - t < 60_000;
    if (eventStampsOk) return t;
  }
  return arrivalTime();
}
/** Whether event timestamps are `performance.now()`-based; undefined until the first event is seen. */
let eventStampsOk: boolean | undefined;

/** Converts a `performance.now()` value to epoch milliseconds. */
export const toEpochMs = (t: number): number => performance.timeOrigin + t;

/** `toSpanTime`: converts a `performance.now()` value to an OpenTelemetry time input (epoch ms). */
export { toEpochMs as toSpanTime };

let hiddenState: boolean | undefined;
let visibleSinceAt = 0;

/** Page visibility, cached from `visibilitychange` (a DOM getter per chunk is measurable). */
export function isHidden(): boolean {
  if (hiddenState === undefined) {
    if (typeof document === 'undefined') return false;
    hiddenState = document.visibilityState === 'hidden';
    document.addEventListener(
      'visibilitychange',
      () => {
        const hidden = document.visibilityState === 'hidden';
        if (hiddenState && !hidden) visibleSinceAt = performance.now();
        hiddenState = hidden;
      },
      { capture: true },
    );
  }
  return hiddenState;
}

/** When the page last became visible again (0 if it never was hidden while we watched). */
export function visibleSince(): number {
  return visibleSinceAt;
}
