import { describe, expect, it } from 'vitest';
import { createRenderSchedule } from './render-schedule';
import type { ScheduleClock } from './render-schedule';

/** A clock whose frames come every 16 ms and whose timers fire on time, driven by `advance`. */
function fakeClock() {
  let now = 0;
  let timers: { at: number; fn: () => void }[] = [];
  const clock: ScheduleClock = {
    now: () => now,
    frame: (fn) => timers.push({ at: Math.ceil((now + 0.001) / 16) * 16, fn }),
    delay: (fn, ms) => timers.push({ at: now + ms, fn }),
  };
  const advance = (to: number): void => {
    for (;;) {
      const due = timers.filter((timer) => timer.at <= to).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((timer) => timer !== due);
      now = due.at;
      due.fn();
    }
    now = to;
  };
  return { clock, advance };
}

/** The panel's use: one pending render at a time, asked for again on the next change. */
function panel(schedule: (render: () => void) => void, now: () => number) {
  const renders: number[] = [];
  let queued = false;
  let shownVersion = 0;
  let version = 0;
  return {
    renders,
    get shownVersion() {
      return shownVersion;
    },
    change() {
      version += 1;
      if (queued) return;
      queued = true;
      schedule(() => {
        queued = false;
        shownVersion = version;
        renders.push(now());
      });
    },
  };
}

describe('render schedule', () => {
  it('shows a single change on the next frame', () => {
    const { clock, advance } = fakeClock();
    const view = panel(createRenderSchedule(100, clock), clock.now);
    advance(1000);
    view.change();
    advance(1020);
    expect(view.renders).toEqual([1008]);
    expect(view.shownVersion).toBe(1);
  });

  it('renders a flood of changes (one every 5 ms for 2 s) at most ten times a second, ending with the last change', () => {
    const { clock, advance } = fakeClock();
    const view = panel(createRenderSchedule(100, clock), clock.now);
    for (let t = 0; t < 2000; t += 5) {
      advance(t);
      view.change();
    }
    advance(2300);
    expect(view.renders.length).toBeLessThanOrEqual(21);
    expect(view.renders.length).toBeGreaterThanOrEqual(15);
    for (let i = 1; i < view.renders.length; i += 1) expect(view.renders[i]! - view.renders[i - 1]!).toBeGreaterThanOrEqual(100);
    expect(view.shownVersion).toBe(400);
  });

  it('shows a change that follows a quiet spell at once, even right after a flood', () => {
    const { clock, advance } = fakeClock();
    const view = panel(createRenderSchedule(100, clock), clock.now);
    view.change();
    advance(50);
    view.change();
    advance(400);
    const before = view.renders.length;
    view.change();
    advance(420);
    expect(view.renders.length).toBe(before + 1);
    expect(view.renders.at(-1)).toBe(416);
  });
});
