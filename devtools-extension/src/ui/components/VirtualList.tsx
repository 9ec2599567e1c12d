import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { DEFAULT_FALLBACK_HEIGHT, DEFAULT_OVERSCAN, scrollTopToShow, virtualWindow } from './virtual-window';

export interface VirtualListProps<T> {
  items: T[];
  rowHeight: number;
  renderRow: (item: T, index: number) => ComponentChildren;
  getKey: (item: T, index: number) => string;
  className?: string;
  /** Rows drawn beyond the viewport on each side. */
  overscan?: number;
  /** Used until the element has been measured (e.g. in tests without layout). */
  fallbackHeight?: number;
  scrollToIndex?: number;
  label?: string;
}

/** Fixed-height rows; only the rows in view (plus overscan) exist in the DOM. */
export function VirtualList<T>(props: VirtualListProps<T>) {
  const { items, rowHeight, overscan = DEFAULT_OVERSCAN, fallbackHeight = DEFAULT_FALLBACK_HEIGHT } = props;
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(0);

  useEffect(() => {
    const element = ref.current;
    if (!element) return undefined;
    const measure = (): void => setHeight(element.clientHeight);
    measure();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const element = ref.current;
    if (!element || props.scrollToIndex === undefined || props.scrollToIndex < 0) return;
    const next = scrollTopToShow(props.scrollToIndex, rowHeight, element.scrollTop, element.clientHeight || fallbackHeight);
    if (next !== element.scrollTop) element.scrollTop = next;
  }, [props.scrollToIndex, rowHeight, fallbackHeight]);

  const viewport = height || fallbackHeight;
  const { first, last } = virtualWindow(scrollTop, viewport, rowHeight, items.length, overscan);
  const visible = items.slice(first, last);
  return (
    <div
      ref={ref}
      class={`vlist ${props.className ?? ''}`}
      role="list"
      aria-label={props.label}
      onScroll={(event) => setScrollTop((event.currentTarget as HTMLDivElement).scrollTop)}
    >
      <div class="vlist-spacer" style={{ height: `${items.length * rowHeight}px` }}>
        {visible.map((item, i) => (
          <div
            key={props.getKey(item, first + i)}
            class="vlist-row"
            role="listitem"
            style={{ transform: `translateY(${(first + i) * rowHeight}px)`, height: `${rowHeight}px` }}
          >
            {props.renderRow(item, first + i)}
          </div>
        ))}
      </div>
    </div>
  );
}
