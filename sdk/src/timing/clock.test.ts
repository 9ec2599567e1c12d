import { afterEach, describe, expect, it, vi } from 'vitest';
import { commitTime, eventTime, noteArrival } from './clock.js';

afterEach(() => vi.restoreAllMocks());

describe('cheap per-chunk clocks', () => {
  it('stamps a commit in the same millisecond as the latest arrival with that arrival, a later one with the clock', () => {
    const wall = vi.spyOn(Date, 'now').mockReturnValue(1_000);
    noteArrival(42.5);
    expect(commitTime()).toBe(42.5);
    wall.mockReturnValue(1_001);
    vi.spyOn(performance, 'now').mockReturnValue(43.7);
    expect(commitTime()).toBe(43.7);
  });

  it("uses an event's timeStamp when it is on the performance.now() clock", () => {
    const real = performance.now();
    const event = new Event('message');
    const stamp = event.timeStamp;
    expect(stamp).toBeGreaterThan(0);
    expect(eventTime(event)).toBe(stamp);
    expect(Math.abs(eventTime(new Event('message')) - real)).toBeLessThan(1000);
  });
});
