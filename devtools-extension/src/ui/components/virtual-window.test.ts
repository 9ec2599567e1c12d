import { describe, expect, it } from 'vitest';
import { scrollTopToShow, virtualWindow } from './virtual-window';

// The waterfall: 24 px rows, a 480 px viewport (20 rows), 8 rows of overscan, 5,000 spans.
const ROW = 24;
const VIEW = 480;

describe('virtualWindow', () => {
  it('draws the first screen of rows plus overscan at the top', () => {
    expect(virtualWindow(0, VIEW, ROW, 5000, 8)).toEqual({ first: 0, last: 28 });
  });

  it('draws the rows under a scroll position in the middle, and no others', () => {
    // Scrolled to row 2,500: rows 2,492 … 2,527 exist (20 in view, 8 above and below).
    const { first, last } = virtualWindow(2500 * ROW, VIEW, ROW, 5000, 8);
    expect([first, last]).toEqual([2492, 2528]);
    expect(last - first).toBeLessThan(40);
  });

  it('covers a row that is only partly scrolled into view', () => {
    const { first, last } = virtualWindow(100 * ROW + 10, VIEW, ROW, 5000, 0);
    expect(first).toBe(100);
    expect(last).toBe(121);
  });

  it('stops at the last row when scrolled to the end (or past it while the list shrinks)', () => {
    expect(virtualWindow(5000 * ROW - VIEW, VIEW, ROW, 5000, 8)).toEqual({ first: 4972, last: 5000 });
    expect(virtualWindow(9000 * ROW, VIEW, ROW, 5000, 8)).toEqual({ first: 5000, last: 5000 });
  });

  it('draws nothing for an empty list', () => {
    expect(virtualWindow(0, VIEW, ROW, 0, 8)).toEqual({ first: 0, last: 0 });
  });
});

describe('scrollTopToShow', () => {
  it('leaves the scroll position alone when the selected row is fully visible', () => {
    expect(scrollTopToShow(10, ROW, 0, VIEW)).toBe(0);
    expect(scrollTopToShow(119, ROW, 100 * ROW, VIEW)).toBe(100 * ROW);
  });

  it('scrolls a row below the viewport into view, a third of the way down', () => {
    const next = scrollTopToShow(4000, ROW, 0, VIEW);
    expect(next).toBe(4000 * ROW - VIEW / 3);
    const { first, last } = virtualWindow(next, VIEW, ROW, 5000, 0);
    expect(first).toBeLessThanOrEqual(4000);
    expect(last).toBeGreaterThan(4000);
  });

  it('scrolls back up to a row above the viewport, and to the top for the first rows', () => {
    expect(scrollTopToShow(50, ROW, 3000 * ROW, VIEW)).toBe(50 * ROW - VIEW / 3);
    expect(scrollTopToShow(2, ROW, 3000 * ROW, VIEW)).toBe(0);
  });

  it('scrolls a half-visible row at the bottom edge fully into view', () => {
    // Row 20 starts exactly at the bottom edge of a viewport at 0.
    expect(scrollTopToShow(20, ROW, 0, VIEW)).toBe(20 * ROW - VIEW / 3);
  });
});
