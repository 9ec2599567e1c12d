import { createCollectorAdapter } from '../bridge/collector-http';
import { mount } from '../ui/mount';

// Served by the dev collector at `/`: reads the collector on the page's own origin.
const container = document.getElementById('app');
if (!container) throw new Error('index.html has no #app element');
const adapter = createCollectorAdapter({ baseUrl: location.origin });
const panel = mount({ adapter, container, options: { showQueryEndpoint: false, defaults: { queryBaseUrl: location.origin } } });
addEventListener('pagehide', () => panel.unmount(), { once: true });
