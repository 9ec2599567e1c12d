import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCollectorAdapter } from '../bridge/collector-http';
import { readTraceListing } from '../bridge/trace-listing';
import type { TraceListing } from '../bridge/trace-listing';
import { FakeEventSource } from '../testing/fake-event-source';
import { traceIdOf } from '../testing/otlp-fixtures';
import { memoryStorage } from '../testing/panel-mount';
import { mount } from '../ui/mount';
import type { MountOptions, MountedPanel } from '../ui/mount';
import { PANEL_STYLE_ATTRIBUTE } from '../ui/styles';
import { FIRST_FRAME_ROWS, drawFirstFrame, firstFrameHtml, firstFrameView } from './first-frame';
import { listingRowsView, readListingRows } from '../bridge/listing-rows';

const BASE = 'http://collector.test';
const SOURCE = `collector ${BASE}`;
const nanos = (ms: number): string => (BigInt(ms) * 1_000_000n).toString();

/** Summaries as the collector lists them (newest first), covering what a row can show. */
function listing(count = 30): TraceListing {
  return readTraceListing({ traces: summaries(count), lastEventId: 3 })!;
}

/** The same list in the collector's compact form (demo-backend src/collector/panel-rows.ts). */
function compact(count = 30) {
  const services: string[] = [];
  const index = (name: string) => (services.includes(name) ? services.indexOf(name) : services.push(name) - 1);
  const rows = summaries(count).map((trace) => {
    const m = (trace as { message?: Record<string, unknown> }).message;
    const t = trace as Record<string, unknown>;
    return [
      t.traceId, t.rootName, (t.services as string[]).map(index), t.spanCount, t.errorCount, t.startTimeUnixNano, t.status, t.rootDurationMs ?? null, t.sessionId ?? null, t.messageId ?? null,
      m ? [m.startTimeUnixNano ?? null, m.conversationId ?? null, m.transport ?? null, m.ttftVisibleMs ?? null, m.chunks ?? null, m.preview ?? null] : null,
    ];
  });
  return { format: 'rows-1', lastEventId: 3, services, rows };
}

function summaries(count: number) {
  const traces = Array.from({ length: count }, (_, i) => {
    const n = count - i;
    const startMs = 1_700_000_000_000 + n * 1500;
    const base = {
      traceId: traceIdOf(n), rootName: 'chat.message', rootService: 'chat-web', services: ['chat-web'], spanCount: 8 + n, errorCount: n % 7 === 0 ? 1 : n % 11 === 0 ? 2 : 0,
      startTimeUnixNano: nanos(startMs), durationMs: 900 + n, updatedAtMs: startMs, rootDurationMs: 900 + n * 37.5,
      status: n % 5 === 0 ? 'error' : n % 9 === 0 ? 'cancel' : n === count ? 'pending' : 'complete',
      sessionId: `session-${n % 3}`,
    };
    // Every fourth trace is not a chat message (a backend-only request): listed only with "all traces".
    if (n % 4 === 0) return { ...base, rootName: 'GET /health <probe>', status: 'complete' };
    return {
      ...base, messageId: `msg-${n}`,
      message: {
        startTimeUnixNano: nanos(startMs), conversationId: `conv-${n % 2}`,
        ...(n % 3 ? { transport: n % 2 ? 'fetch' : 'websocket', ttftVisibleMs: 120 + n * 3.3 } : {}),
        ...(n % 6 === 1 ? { chunks: 40 + n } : {}),
        ...(n % 5 === 2 ? { preview: `Answer ${n}: "quotes" & <tags> stay text` } : {}),
      },
    };
  });
  // Not in the panel's order (newest message first): the first frame sorts them as the panel does.
  return traces.reverse();
}

let panel: MountedPanel | undefined;
afterEach(() => {
  panel?.unmount();
  panel = undefined;
  document.head.innerHTML = '';
  document.body.innerHTML = '';
});

/** The standalone panel on a collector whose list is `read` (taken over as the early list). */
async function mountStandalone(container: HTMLElement, read: TraceListing, options: MountOptions = {}): Promise<MountedPanel> {
  const adapter = createCollectorAdapter({
    baseUrl: BASE,
    fetch: (async () => new Response('{}', { status: 404 })) as unknown as typeof fetch,
    listing: Promise.resolve(read),
    prefetch: false,
    createEventSource: (url) => new FakeEventSource(url),
  });
  await adapter.listSettled;
  // No act(): the panel's first render only, before any effect runs (as in the first frame).
  return mount({ adapter, container, options: { maxMessages: 1000, showQueryEndpoint: false, settingsStorage: memoryStorage(), schedule: (render) => render(), ...options } });
}

const newContainer = (): HTMLElement => document.body.appendChild(document.createElement('div'));

describe("the standalone page's first frame", () => {
  it("is the panel's own first render of the same list, element for element", async () => {
    const read = listing();
    const drawn = newContainer();
    expect(drawFirstFrame(drawn, read.traces, SOURCE)).toBeDefined();
    const rendered = newContainer();
    panel = await mountStandalone(rendered, read);
    expect(drawn.innerHTML).toBe(rendered.innerHTML);
    expect(drawn.className).toBe(rendered.className);
    // What the frame shows: chat messages only, newest first, a window of rows.
    expect(drawn.querySelector('.counts')?.textContent).toBe('23 of 30 traces');
    expect(drawn.querySelector('.message-row')?.getAttribute('data-trace-id')).toBe(traceIdOf(30));
    expect(drawn.querySelectorAll('.message-row')).toHaveLength(18);
    expect(drawn.querySelector('.message-preview')?.textContent).toBe('Answer 27: "quotes" & <tags> stay text');
  });

  it('is drawn the same from the compact list, reading only the rows it shows', () => {
    const view = listingRowsView(compact(), FIRST_FRAME_ROWS);
    expect(view).toEqual(firstFrameView(listing().traces));
    expect(view?.rows).toHaveLength(FIRST_FRAME_ROWS);
    expect(readListingRows(compact())).toEqual(listing());
    const fromRows = newContainer();
    drawFirstFrame(fromRows, view!, SOURCE);
    const fromList = newContainer();
    drawFirstFrame(fromList, listing().traces, SOURCE);
    expect(fromRows.innerHTML).toBe(fromList.innerHTML);
    expect(listingRowsView({ traces: [] }, FIRST_FRAME_ROWS)).toBeUndefined();
  });

  it('says "N traces" and leaves out the conversation filter when every trace is one conversation\'s message', async () => {
    const read = listing(3);
    for (const trace of read.traces) delete trace.conversationId;
    const drawn = newContainer();
    drawFirstFrame(drawn, read.traces, SOURCE);
    const rendered = newContainer();
    panel = await mountStandalone(rendered, read);
    expect(drawn.innerHTML).toBe(rendered.innerHTML);
    expect(drawn.querySelector('.counts')?.textContent).toBe('3 traces');
    expect(drawn.querySelector('.conversation-filter')).toBeNull();
  });

  it('is taken over by the panel: its elements stay, rows open traces, and the stylesheet is not added twice', async () => {
    const read = listing();
    const container = newContainer();
    drawFirstFrame(container, read.traces, SOURCE);
    const firstRow = container.querySelector<HTMLButtonElement>('.message-row');
    panel = await mountStandalone(container, read);
    expect(container.querySelector('.message-row')).toBe(firstRow);
    expect(document.head.querySelectorAll(`style[${PANEL_STYLE_ATTRIBUTE}]`)).toHaveLength(1);
    // Once painted, the filters list their sessions, as in any panel.
    await vi.waitFor(() => expect([...container.querySelectorAll('.session-filter option')].map((option) => option.textContent)).toEqual(['All sessions', 'session-0', 'session-1', 'session-2']));
    firstRow!.click();
    await vi.waitFor(() => expect(firstRow!.classList.contains('selected')).toBe(true));
    expect(container.querySelector('.st-detail')?.textContent).toContain(`Loading trace ${traceIdOf(30)}`);
  });

  it('keeps what was typed, ticked and clicked before the panel took over', async () => {
    const read = listing();
    const container = newContainer();
    const frame = drawFirstFrame(container, read.traces, SOURCE)!;
    const search = container.querySelector<HTMLInputElement>('input.search')!;
    search.value = 'msg-2';
    container.querySelector<HTMLInputElement>('.all-traces input')!.checked = true;
    const row = container.querySelector<HTMLElement>(`.message-row[data-trace-id="${traceIdOf(29)}"]`)!;
    row.querySelector<HTMLElement>('.message-time')!.click();
    expect(row.classList.contains('selected')).toBe(true);
    const input = frame.takeOver();
    expect(input).toEqual({ search: 'msg-2', allTraces: true, selected: traceIdOf(29) });
    panel = await mountStandalone(container, read, { initialSearch: input.search, initialAllTraces: input.allTraces, initialTrace: input.selected! });
    // msg-2 and msg-21…29, less traces 24 and 28 (backend-only: no message id to match).
    expect(container.querySelector('.counts')?.textContent).toBe('8 of 30 traces');
    expect(search.value).toBe('msg-2');
    expect(container.querySelector('.message-row.selected')?.getAttribute('data-trace-id')).toBe(traceIdOf(29));
    expect(container.querySelector('.st-detail')?.textContent).toContain(`Loading trace ${traceIdOf(29)}`);
    // Taken over: clicks are the panel's from now on.
    container.querySelector<HTMLElement>(`.message-row[data-trace-id="${traceIdOf(27)}"]`)!.click();
    expect(frame.takeOver().selected).toBe(traceIdOf(29));
  });

  it('draws nothing without a chat message to show, or over a panel already there', () => {
    const read = listing(4);
    expect(firstFrameHtml(read.traces.filter((trace) => !trace.isChatMessage), SOURCE)).toBeUndefined();
    expect(firstFrameHtml([], SOURCE)).toBeUndefined();
    const container = newContainer();
    container.append(document.createElement('div'));
    expect(drawFirstFrame(container, read.traces, SOURCE)).toBeUndefined();
    expect(container.querySelector('.message-row')).toBeNull();
  });
});
