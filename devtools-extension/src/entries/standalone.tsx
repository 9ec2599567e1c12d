import { createCollectorAdapter } from '../bridge/collector-http';
import { mount } from '../ui/mount';
import { standaloneOptions } from './standalone-options';
import { takeEarlyList } from './early-requests';

// Served by the dev collector at `/`: reads the collector on the page's own origin. The page's
// inline script asked for the message list while this module was still downloading
// (early-requests.ts); the adapter takes that request over. One module, no UI chunk: the list no
// longer waits for the entry to run, so splitting the code only added requests.

/** How long the page stays blank waiting for the list before it shows the panel without it. */
const LIST_WAIT_MS = 500;

const container = document.getElementById('app');
if (!container) throw new Error('index.html has no #app element');
const { maxMessages, backfillLimit, trace } = standaloneOptions(location.search);
const listRequest = takeEarlyList();
const adapter = createCollectorAdapter({ baseUrl: location.origin, backfillLimit, ...(listRequest ? { listRequest } : {}), prefetch: !trace });
// The panel is drawn once the list is in (or the wait is over), so the rows come in its first
// render: no empty panel drawn, laid out and painted just before it. A page opened on one trace
// (`?trace=`) mounts at once: its trace lookup starts at mount and should not wait for the list.
if (!trace) await Promise.race([adapter.listSettled, new Promise((resolve) => setTimeout(resolve, LIST_WAIT_MS))]);
const panel = mount({ adapter, container, options: { maxMessages, ...(trace ? { initialTrace: trace } : {}), showQueryEndpoint: false, defaults: { queryBaseUrl: location.origin } } });
addEventListener('pagehide', () => panel.unmount(), { once: true });
