import { createExtensionPortAdapter } from '../bridge/extension-port';
import { mount } from '../ui/mount';

// Inside DevTools the inspected tab is known; opened directly (tests, debugging) it comes from ?tabId=.
const fromQuery = Number(new URLSearchParams(location.search).get('tabId'));
const tabId = chrome.devtools?.inspectedWindow?.tabId ?? fromQuery;
const container = document.getElementById('app');

if (!container) throw new Error('panel.html has no #app element');
if (!Number.isInteger(tabId) || tabId < 0) {
  container.textContent = 'Streamtrace: open this panel from DevTools, or pass ?tabId=<id>.';
} else {
  const adapter = createExtensionPortAdapter({ tabId });
  const panel = mount({ adapter, container, options: { showQueryEndpoint: true } });
  addEventListener('pagehide', () => panel.unmount(), { once: true });
}
