import type { PageMessage } from './protocol';

// Messages between the panel page and the background service worker over a chrome.runtime port.
// Entries carry a per-tab sequence number so a reconnecting panel asks only for what it missed.

export const PANEL_PORT_PREFIX = 'streamtrace-panel:';

export interface BufferedEntry {
  seq: number;
  message: PageMessage;
}

export type PanelToWorker =
  | { type: 'subscribe'; tabId: number; afterSeq: number }
  | { type: 'clear'; tabId: number };

export type WorkerToPanel =
  | { type: 'entries'; tabId: number; entries: BufferedEntry[]; replay: boolean }
  | { type: 'navigated'; tabId: number }
  /** The buffer restarted its sequence (cleared or evicted past the panel's position). */
  | { type: 'reset'; tabId: number; seq: number };

/** content script -> worker (chrome.runtime.sendMessage) */
export type ContentToWorker = { kind: 'streamtrace-page'; message: PageMessage } | { kind: 'streamtrace-page-load' };

/** worker -> content script (chrome.tabs.sendMessage) */
export type WorkerToContent = { kind: 'streamtrace-panel-connected' };
