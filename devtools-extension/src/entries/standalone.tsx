import { createCollectorAdapter } from '../bridge/collector-http';
import { mount } from '../ui/mount';
import { standaloneOptions } from './standalone-options';
import { takeEarlyList } from './early-requests';

// Served by the dev collector at `/`: reads the collector on the page's own origin. The page's
// inline script asked for the message list while this module was still downloading, and drew the
// panel's first frame from it (standalone-early.ts, first-frame.ts); the adapter takes that list
// over, and the panel renders over that frame once it is on screen. One module, no UI chunk.

/** How long the page stays blank waiting for the list before it shows the panel without it. */
const LIST_WAIT_MS = 500;

const wait = <T,>(ms: number, value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));
/**
 * Resolves a frame after the next one has been drawn: the panel's first render (tens of ms) then
 * does not run in the slot right after the drawn frame's commit, where whatever waits for that
 * frame to be shown (e.g. a paint-timing probe) would have to wait for it too.
 */
const afterNextPaint = (): Promise<void> =>
  new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0))));

const container = document.getElementById('app');
if (!container) throw new Error('index.html has no #app element');
const { maxMessages, backfillLimit, trace } = standaloneOptions(location.search);
const early = takeEarlyList();
const adapter = createCollectorAdapter({ baseUrl: location.origin, backfillLimit, ...(early ? { listing: early.listing } : {}), prefetch: !trace });
// The panel is drawn once the list is in (or the wait is over), so the rows come in its first
// render: no empty panel drawn, laid out and painted just before it. When the inline script drew
// the list, the panel's render (its first one costs far more than the frame) waits until that
// frame is on screen. A page opened on one trace (`?trace=`) mounts at once: its trace lookup
// starts at mount and should not wait for the list.
const drawn = trace
  ? undefined
  : await Promise.race([Promise.all([adapter.listSettled, early?.drawn]).then(([, frame]) => frame), wait(LIST_WAIT_MS, undefined)]);
if (drawn) await afterNextPaint();
// What was typed or clicked in the drawn frame meanwhile carries over into the panel.
const input = drawn?.takeOver();
const initialTrace = trace ?? input?.selected;
const panel = mount({
  adapter,
  container,
  options: {
    maxMessages,
    ...(initialTrace ? { initialTrace } : {}),
    ...(input?.search ? { initialSearch: input.search } : {}),
    ...(input?.allTraces ? { initialAllTraces: true } : {}),
    showQueryEndpoint: false,
    defaults: { queryBaseUrl: location.origin },
  },
});
addEventListener('pagehide', () => panel.unmount(), { once: true });
