import { HELLO, isSdkReady, validatePageMessage } from '../bridge/protocol';
import type { ContentToWorker, WorkerToContent } from '../bridge/port-messages';

// Bridges the page to the extension. Forwards only protocol-v1 SDK messages from this window
// (validated and size-limited), never evaluates anything, and tells the SDK a panel exists.

const sayHello = (): void => window.postMessage(HELLO, '*');

const send = (message: ContentToWorker): void => {
  try {
    chrome.runtime.sendMessage(message).catch(() => {
      // The worker is restarting or the extension was reloaded: nothing to do in the page.
    });
  } catch {
    // Extension context invalidated (extension reloaded while the page stayed open).
  }
};

send({ kind: 'streamtrace-page-load' });

window.addEventListener('message', (event: MessageEvent) => {
  if (event.source !== window) return;
  if (isSdkReady(event.data)) {
    sayHello();
    return;
  }
  const message = validatePageMessage(event.data);
  if (message) send({ kind: 'streamtrace-page', message });
});

chrome.runtime.onMessage.addListener((raw: unknown) => {
  if ((raw as WorkerToContent | undefined)?.kind === 'streamtrace-panel-connected') sayHello();
});

sayHello();
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', sayHello, { once: true });
