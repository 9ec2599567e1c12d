import { afterEach, describe, expect, it, vi } from 'vitest';
import { arrivalTime, eventTime, sameTaskArrival } from './clock.js';

afterEach(() => vi.restoreAllMocks());

describe('cheap per-chunk clocks', () => {
  it('reads the clock once per wall-clock millisecond for arrivals and stamps a same-millisecond commit with it', () => {
    const wall = vi.spyOn(Date, 'now').mockReturnValue(1_000);
    const clock = vi.spyOn(performance, 'now').mockReturnValue(42.5);
    expect(arrivalTime()).toBe(42.5);
    clock.mockReturnValue(42.9);
    expect(arrivalTime()).toBe(42.5);
    expect(sameTaskArrival()).toBe(42.5);
    expect(clock).toHaveBeenCalledTimes(1);
    wall.mockReturnValue(1_001);
    clock.mockReturnValue(43.7);
    // A commit in a later millisecond than the latest arrival is not that arrival's.
    expect(sameTaskArrival()).toBe(-1);
    expect(arrivalTime()).toBe(43.7);
    clock.mockReturnValue(44.1);
    expect(sameTaskArrival()).toBe(43.7);
  });

  it('follows the real clock to within a millisecond', () => {
    const before = performance.now();
    const at = arrivalTime();
    expect(at).toBeGreaterThanOrEqual(before - 1);
    expect(at).toBeLessThanOrEqual(performance.now());
  });
});

describe('event time', () => {
  it("uses an event's timeStamp when it is on the performance.now() clock", () => {
    const real = performance.now();
    const event = new Event('message');
    const stamp = event.timeStamp;
    expect(stamp).toBeGreaterThan(0);
    expect(eventTime(event)).toBe(stamp);
    expect(Math.abs(eventTime(new Event('message')) - real)).toBeLessThan(1000);
  });
});
