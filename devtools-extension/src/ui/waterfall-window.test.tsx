import { describe, expect, it } from 'vitest';
import { createInMemoryAdapter } from '../bridge/in-memory';
import { click, flush, mountPanel, unmountAfterEach } from '../testing/panel-mount';
import { resourceSpans, spanIdOf, traceIdOf } from '../testing/otlp-fixtures';

// The 5,000-span waterfall as a user moves through it: scrolling shows the rows at that position,
// and a span selected elsewhere (the root-cause banner) is scrolled into view.

const ROW = 24;
const HEAVY_TIMEOUT = 30_000;

unmountAfterEach();

/** One root and 4,999 children one ms apart ("work 2" … "work 5000"); `failing` ends in an error. */
async function openBigTrace(failing?: number) {
  const adapter = createInMemoryAdapter();
  const { container } = mountPanel(adapter);
  const traceId = traceIdOf(5150);
  const specs = [{ traceId, spanId: spanIdOf(1), name: 'chat.message', startMs: 0, endMs: 10_000 }];
  for (let i = 2; i <= 5000; i += 1) {
    specs.push({ traceId, spanId: spanIdOf(i), parentSpanId: spanIdOf(1), name: `work ${i}`, startMs: i, endMs: i + 5, ...(i === failing ? { error: 'disk full' } : {}) } as (typeof specs)[number]);
  }
  adapter.pushSpans([resourceSpans('big', specs)]);
  await flush();
  click(container.querySelector(`[data-trace-id="${traceId}"]`));
  await flush();
  const list = container.querySelector('.waterfall-rows') as HTMLElement;
  const shownNames = (): string[] => [...list.querySelectorAll('.span-label')].map((label) => label.textContent ?? '');
  return { container, list, shownNames };
}

describe('waterfall window', () => {
  it('shows the rows at the scroll position, and only a window of them', async () => {
    const { list, shownNames } = await openBigTrace();
    expect(shownNames()[0]).toBe('chat.message');
    // Row 2,500 (depth-first, children by start: row i is "work i+1") at the top of the view.
    list.scrollTop = 2500 * ROW;
    list.dispatchEvent(new Event('scroll'));
    await flush();
    const names = shownNames();
    expect(names).toContain('work 2501');
    expect(names).toContain('work 2510');
    expect(names).not.toContain('chat.message');
    expect(names).not.toContain('work 2400');
    expect(names.length).toBeLessThan(60);
    // Each shown row sits at its own offset in the scroll area.
    const row = list.querySelector(`[data-span-id="${spanIdOf(2501)}"]`)!.parentElement as HTMLElement;
    expect(row.style.transform).toBe(`translateY(${2500 * ROW}px)`);
  }, HEAVY_TIMEOUT);

  it('scrolls a span selected from the root-cause banner into view, selected', async () => {
    const { container, list, shownNames } = await openBigTrace(4321);
    expect(shownNames()).not.toContain('work 4321');
    click(container.querySelector('.root-cause-layer'));
    await flush();
    list.dispatchEvent(new Event('scroll'));
    await flush();
    expect(list.scrollTop).toBeGreaterThan(4000 * ROW);
    const selected = container.querySelector('.span-row.selected');
    expect(selected?.getAttribute('data-span-id')).toBe(spanIdOf(4321));
    expect(selected?.textContent).toContain('disk full');
    expect(container.querySelector('.span-details')?.textContent).toContain('work 4321');
  }, HEAVY_TIMEOUT);
});
