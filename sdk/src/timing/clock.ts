/** Milliseconds since the page's time origin. */
export const now = (): number => performance.now();

/** Converts a `performance.now()` value to epoch milliseconds. */
export const toEpochMs = (t: number): number => performance.timeOrigin + t;

/** Converts a `performance.now()` value to an OpenTelemetry time input (epoch ms). */
export const toSpanTime = (t: number): number => performance.timeOrigin + t;

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
