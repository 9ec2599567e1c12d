/** Milliseconds since the page's time origin. */
export const now = (): number => performance.now();

/** Converts a `performance.now()` value to epoch milliseconds. */
export const toEpochMs = (t: number): number => performance.timeOrigin + t;

/** Converts a `performance.now()` value to an OpenTelemetry time input (epoch ms). */
export const toSpanTime = (t: number): number => performance.timeOrigin + t;

export const isHidden = (): boolean => typeof document !== 'undefined' && document.visibilityState === 'hidden';
