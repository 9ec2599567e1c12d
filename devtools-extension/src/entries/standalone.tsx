import { createCollectorAdapter } from '../bridge/collector-http';
import { standaloneOptions } from './standalone-options';
import { fetchWithEarly, takeEarlyRequests } from './early-requests';

// Served by the dev collector at `/`: reads the collector on the page's own origin. The page's
// inline script has already asked for the message list (early-requests.ts); the adapter takes that
// request over. The UI's code (the larger part) loads meanwhile.
const container = document.getElementById('app');
if (!container) throw new Error('index.html has no #app element');
const { maxMessages, backfillLimit, trace } = standaloneOptions(location.search);
// Requested first: the UI's code, then the list, then the newest trace's spans.
const ui = import('../ui/mount');
const fetchEarly = fetchWithEarly(takeEarlyRequests(), (input, init) => fetch(input, init));
const adapter = createCollectorAdapter({ baseUrl: location.origin, fetch: fetchEarly, backfillLimit, prefetch: !trace });
const { mount } = await ui;
const panel = mount({ adapter, container, options: { maxMessages, ...(trace ? { initialTrace: trace } : {}), showQueryEndpoint: false, defaults: { queryBaseUrl: location.origin } } });
addEventListener('pagehide', () => panel.unmount(), { once: true });
