/** Time and timers the render schedule uses (the browser's, or a test's). */
export interface ScheduleClock {
  now(): number;
  /** Runs `fn` before the next paint (requestAnimationFrame, or a timer in a hidden page). */
  frame(fn: () => void): void;
  delay(fn: () => void, ms: number): void;
}

/**
 * Turns "the data changed" into renders: the first change after a quiet spell renders on the next
 * frame, so a new message shows at once; while changes keep coming (a backfill of hundreds of
 * traces, a burst of live spans) the panel renders at most once per `minIntervalMs` instead of
 * every frame, which leaves the main thread to the requests and parsing that bring the data.
 * The caller asks again only after its render ran, so the latest change always gets rendered.
 */
export function createRenderSchedule(minIntervalMs: number, clock: ScheduleClock): (render: () => void) => void {
  let lastRender = Number.NEGATIVE_INFINITY;
  const run = (render: () => void) => (): void => {
    lastRender = clock.now();
    render();
  };
  return (render) => {
    const wait = lastRender + minIntervalMs - clock.now();
    if (wait <= 0) clock.frame(run(render));
    else clock.delay(() => clock.frame(run(render)), wait);
  };
}

/** Renders of the live panel during bursts of data: at most ten a second. */
export const BURST_RENDER_INTERVAL_MS = 100;

export const browserClock: ScheduleClock = {
  now: () => performance.now(),
  frame(fn) {
    if (typeof requestAnimationFrame === 'function' && typeof document !== 'undefined' && !document.hidden) requestAnimationFrame(() => fn());
    else setTimeout(fn, 16);
  },
  delay(fn, ms) {
    setTimeout(fn, ms);
  },
};
