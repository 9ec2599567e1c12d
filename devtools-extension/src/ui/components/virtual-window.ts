/** Which rows of a fixed-row-height list exist in the DOM: [first, last), overscan included. */
export interface VirtualWindow {
  first: number;
  last: number;
}

/** VirtualList's defaults: rows drawn beyond the viewport, and the height assumed until measured. */
export const DEFAULT_OVERSCAN = 8;
export const DEFAULT_FALLBACK_HEIGHT = 600;

export function virtualWindow(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan: number): VirtualWindow {
  const top = Math.max(0, scrollTop);
  const first = Math.min(count, Math.max(0, Math.floor(top / rowHeight) - overscan));
  const last = Math.min(count, Math.ceil((top + viewportHeight) / rowHeight) + overscan);
  return { first, last: Math.max(first, last) };
}

/**
 * The scroll position that brings row `index` into view: unchanged when the whole row is already
 * visible, else the row a third of the way down the viewport (context above it stays visible).
 */
export function scrollTopToShow(index: number, rowHeight: number, scrollTop: number, viewportHeight: number): number {
  const top = index * rowHeight;
  if (top >= scrollTop && top + rowHeight <= scrollTop + viewportHeight) return scrollTop;
  return Math.max(0, top - viewportHeight / 3);
}
