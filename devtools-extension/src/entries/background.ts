import { PANEL_PORT_PREFIX } from '../bridge/port-messages';
import type { ContentToWorker, PanelToWorker, WorkerToContent, WorkerToPanel } from '../bridge/port-messages';
import { validatePageMessage } from '../bridge/protocol';
import { createTabBuffers } from '../bridge/tab-buffer';

// MV3 service worker: keeps each tab's page messages in a bounded buffer mirrored into
// chrome.storage.session (survives the worker being stopped), relays them to the panels of that
// tab and replays what a (re)connecting panel has not seen. Listeners are registered at top level
// so a restarted worker receives the event that woke it.

const buffers = createTabBuffers({
  storage: {
    get: (keys) => chrome.storage.session.get(keys),
    set: (items) => chrome.storage.session.set(items),
    remove: (keys) => chrome.storage.session.remove(keys),
  },
});
const panels = new Map<number, Set<chrome.runtime.Port>>();

const post = (port: chrome.runtime.Port, message: WorkerToPanel): void => {
  try {
    port.postMessage(message);
  } catch {
    panels.get(tabIdOf(port))?.delete(port);
  }
};

const tabIdOf = (port: chrome.runtime.Port): number => Number(port.name.slice(PANEL_PORT_PREFIX.length));

chrome.runtime.onConnect.addListener((port) => {
  // Only extension pages (the panel) may subscribe; content scripts share our id but not our origin.
  if (!port.name.startsWith(PANEL_PORT_PREFIX) || !port.sender?.url?.startsWith(chrome.runtime.getURL(''))) return;
  const tabId = tabIdOf(port);
  if (!Number.isInteger(tabId)) return port.disconnect();
  port.onMessage.addListener((raw: unknown) => {
    const command = raw as PanelToWorker;
    if (command?.tabId !== tabId) return;
    if (command.type === 'subscribe') {
      void buffers.since(tabId, Number(command.afterSeq) || 0).then(({ entries, reset, nextSeq }) => {
        if (reset) post(port, { type: 'reset', tabId, seq: nextSeq });
        post(port, { type: 'entries', tabId, entries, replay: true });
        let set = panels.get(tabId);
        if (!set) panels.set(tabId, (set = new Set()));
        set.add(port);
        chrome.tabs.sendMessage(tabId, { kind: 'streamtrace-panel-connected' } satisfies WorkerToContent).catch(() => {
          // No content script in that tab (not a matching page, or still loading).
        });
      });
    } else if (command.type === 'clear') {
      void buffers.clear(tabId);
    }
  });
  port.onDisconnect.addListener(() => {
    panels.get(tabId)?.delete(port);
  });
});

chrome.runtime.onMessage.addListener((raw: unknown, sender) => {
  const tabId = sender.tab?.id;
  // Only our own content scripts (frames of a tab) talk to the worker this way.
  if (sender.id !== chrome.runtime.id || tabId === undefined || sender.frameId !== 0) return;
  const message = raw as ContentToWorker;
  if (message?.kind === 'streamtrace-page-load') {
    void buffers.clear(tabId);
    for (const port of panels.get(tabId) ?? []) post(port, { type: 'navigated', tabId });
  } else if (message?.kind === 'streamtrace-page') {
    // Checked again here: the content script runs in a page the extension does not trust.
    const clean = validatePageMessage(message.message);
    if (!clean) return;
    void buffers.append(tabId, clean).then((entry) => {
      for (const port of panels.get(tabId) ?? []) post(port, { type: 'entries', tabId, entries: [entry], replay: false });
    });
  }
});

chrome.tabs.onRemoved.addListener((tabId) => {
  panels.delete(tabId);
  void buffers.drop(tabId);
});
