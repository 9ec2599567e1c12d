import { describe, expect, it } from 'vitest';
import { createInMemoryAdapter } from '../bridge/in-memory';
import { click, flush, mountPanel, unmountAfterEach } from '../testing/panel-mount';
import { chatTrace } from '../testing/chat-trace';
import { resourceSpans, spanIdOf, traceIdOf } from '../testing/otlp-fixtures';

// Generous for the 1,000-row and 5,000-span tests on a shared machine; no test asserts speed.
const HEAVY_TIMEOUT = 30_000;

unmountAfterEach();

function setup(maxMessages?: number) {
  const adapter = createInMemoryAdapter();
  const { container, panel } = mountPanel(adapter, maxMessages ? { maxMessages } : {});
  return { adapter, container, panel };
}

describe('panel UI (in-memory adapter)', () => {
  it('shows a message live, then its trace with breakdown, chunk timeline and joined backend spans', async () => {
    const { adapter, container } = setup();
    const { browser, gateway, traceId, streamSpanId } = chatTrace({ messageId: 'msg-live' });
    adapter.setBackendTrace(traceId, [gateway]);
    adapter.pushSpans([browser]);
    await flush();
    const row = container.querySelector(`[data-trace-id="${traceId}"]`);
    expect(row?.textContent).toContain('msg-live');
    expect(row?.textContent).toContain('TTFT 550 ms');
    expect(row?.textContent).toContain('3 chunks');

    const t0 = 1_700_000_000_000;
    adapter.pushChunks({ traceId, spanId: streamSpanId, chunks: [0, 1, 2].map((index) => ({ index, bytes: 4, arrivalMs: t0 + 520 + index * 30, paintMs: t0 + 550 + index * 30 })) });
    click(row);
    await flush();
    await flush();
    expect(container.querySelectorAll('.chunk-point')).toHaveLength(3);
    const rows = [...container.querySelectorAll('.span-row .span-label')].map((el) => el.textContent);
    expect(rows).toEqual(['chat.message', 'chat.stream', 'POST /api/chat', 'retrieval docs', 'stream sse', 'chat sim-gpt-1']);
    expect(container.querySelector('.breakdown-largest')?.textContent).toContain('model first token');
    expect(container.querySelector('.lookup-state')?.textContent).toContain('backend: 4 spans');
  });

  it('opens the trace given at start (an exemplar link) from the backend alone, with its spans and breakdown', async () => {
    const adapter = createInMemoryAdapter();
    const { browser, gateway, traceId } = chatTrace({ n: 7, messageId: 'msg-from-exemplar' });
    adapter.setBackendTrace(traceId, [browser, gateway]);
    const { container } = mountPanel(adapter, { initialTrace: traceId });
    await flush();
    await flush();
    const labels = [...container.querySelectorAll('.span-row .span-label')].map((el) => el.textContent ?? '');
    expect(labels.some((label) => label.includes('chat.message'))).toBe(true);
    expect(labels.some((label) => label.includes('retrieval docs'))).toBe(true);
    expect(container.querySelector(`[data-trace-id="${traceId}"]`)?.textContent).toContain('msg-from-exemplar');
  });

  it('renders hostile attribute values and names as text, never as elements', async () => {
    const { adapter, container } = setup();
    const hostile = '<img src=x onerror=alert(1)>';
    const traceId = traceIdOf(77);
    adapter.pushSpans([resourceSpans(hostile, [{
      traceId, spanId: spanIdOf(1), name: 'chat.message', startMs: 1000, endMs: 2000,
      attrs: { 'streamtrace.message.id': hostile, 'session.id': hostile, [hostile]: hostile }, error: hostile,
    }])]);
    await flush();
    click(container.querySelector(`[data-trace-id="${traceId}"]`));
    await flush();
    click(container.querySelector('.span-row'));
    await flush();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('[onerror]')).toBeNull();
    expect(container.querySelector('.message-id')?.textContent).toBe(hostile);
    expect(container.querySelector('.span-details')?.textContent).toContain(hostile);
    expect(container.querySelector('.span-error-text')?.textContent).toContain(hostile);
  });

  it('handles 1,000 messages: all counted, only a window of rows in the DOM, search finds one', async () => {
    const { adapter, container } = setup(2000);
    for (let n = 1; n <= 1000; n += 1) adapter.pushSpans([chatTrace({ n, t0: 1_700_000_000_000 + n * 1000, messageId: `m-${n}` }).browser]);
    await flush();
    expect(container.querySelector('.counts')?.textContent).toContain('1000 traces');
    const rendered = container.querySelectorAll('.message-row');
    expect(rendered.length).toBeGreaterThan(0);
    expect(rendered.length).toBeLessThan(60);
    // Newest first.
    expect(rendered[0]?.textContent).toContain('m-1000');
    const spacer = container.querySelector('.message-list .vlist-spacer') as HTMLElement;
    expect(spacer.style.height).toBe(`${1000 * 60}px`);
    const search = container.querySelector('.search') as HTMLInputElement;
    search.value = traceIdOf(437);
    search.dispatchEvent(new Event('input', { bubbles: true }));
    await flush();
    const found = container.querySelectorAll('.message-row');
    expect(found).toHaveLength(1);
    expect(found[0]?.textContent).toContain('m-437');
    search.value = '';
    search.dispatchEvent(new Event('input', { bubbles: true }));
    await flush();
    // Keyboard: select the newest, then arrow down to the next older one.
    click(container.querySelector(`[data-trace-id="${traceIdOf(1000)}"]`));
    await flush();
    container.querySelector('.message-row.selected')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    await flush();
    expect(container.querySelector('.message-row.selected')?.textContent).toContain('m-999');
  }, HEAVY_TIMEOUT);

  it('drops the oldest messages beyond the memory bound and says how many', async () => {
    const { adapter, container, panel } = setup(500);
    for (let n = 1; n <= 520; n += 1) adapter.pushSpans([chatTrace({ n, t0: 1_700_000_000_000 + n * 1000 }).browser]);
    await flush();
    expect(panel.store.size).toBe(500);
    expect(panel.store.get(traceIdOf(1))).toBeUndefined();
    expect(panel.store.get(traceIdOf(520))).toBeDefined();
    expect(container.querySelector('.dropped')?.textContent).toContain('20 dropped');
  }, HEAVY_TIMEOUT);

  it('holds events while paused and applies them on resume; clear empties the list and the source', async () => {
    const { adapter, container, panel } = setup();
    const pause = [...container.querySelectorAll('.tb-button')].find((el) => el.textContent === 'Pause')!;
    click(pause);
    adapter.pushSpans([chatTrace({ n: 5 }).browser]);
    await flush();
    expect(panel.store.size).toBe(0);
    click([...container.querySelectorAll('.tb-button')].find((el) => el.textContent?.startsWith('Resume'))!);
    await flush();
    expect(panel.store.size).toBe(1);
    click([...container.querySelectorAll('.tb-button')].find((el) => el.textContent === 'Clear')!);
    await flush();
    expect(panel.store.size).toBe(0);
    expect(adapter.clearCalls).toBe(1);
    expect(container.querySelector('.message-row')).toBeNull();
  });
});

describe('waterfall', () => {
  it('renders a 5,000-span trace with only a window of rows in the DOM, errors named on the span', async () => {
    const { adapter, container } = setup();
    const traceId = traceIdOf(4242);
    const specs = [{ traceId, spanId: spanIdOf(1), name: 'chat.message', startMs: 0, endMs: 10_000 }];
    for (let i = 2; i <= 5000; i += 1) {
      specs.push({ traceId, spanId: spanIdOf(i), parentSpanId: spanIdOf(1), name: `work ${i}`, startMs: i, endMs: i + 5, ...(i === 2 ? { error: 'upstream 503' } : {}) } as (typeof specs)[number]);
    }
    // Children first: out of order on purpose.
    adapter.pushSpans([resourceSpans('big', specs.slice(1)), resourceSpans('big', specs.slice(0, 1))]);
    await flush();
    click(container.querySelector(`[data-trace-id="${traceId}"]`));
    await flush();
    expect(container.querySelector('.waterfall-header')?.textContent).toContain('5000 spans');
    const rows = container.querySelectorAll('.span-row');
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(100);
    const errorRow = container.querySelector('.span-row.is-error');
    expect(errorRow?.textContent).toContain('work 2');
    expect(errorRow?.textContent).toContain('upstream 503');
  }, HEAVY_TIMEOUT);
});
