import type { OpenStream } from '../runtime.js';
import { log } from '../diag.js';

/**
 * Long animation frames (fallback: long tasks) that overlap an open stream are added to that
 * stream's span (count, total, max). One observer for the page; nothing kept per frame.
 */
export function observeLongFrames(openStreams: ReadonlySet<OpenStream>): () => void {
  if (typeof PerformanceObserver === 'undefined') return () => {};
  const supported = PerformanceObserver.supportedEntryTypes ?? [];
  const type = supported.includes('long-animation-frame') ? 'long-animation-frame' : supported.includes('longtask') ? 'longtask' : undefined;
  if (type === undefined) return () => {};
  const observer = new PerformanceObserver((list) => {
    try {
      if (openStreams.size === 0) return;
      for (const entry of list.getEntries()) {
        const end = entry.startTime + entry.duration;
        for (const stream of openStreams) if (end >= stream.openedAt) stream.longFrame(entry.duration);
      }
    } catch (error) {
      log.warn('long frame observer failed', error);
    }
  });
  try {
    observer.observe({ type, buffered: false });
  } catch (error) {
    log.debug('long frames unavailable', error);
  }
  return () => observer.disconnect();
}
