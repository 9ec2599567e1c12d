import type { OpenStream } from '../runtime.js';
import { guard, log } from '../diag.js';

/** Connects/disconnects the long-frame observer of one set of open streams. */
const watchers = new WeakMap<ReadonlySet<OpenStream>, () => void>();

/**
 * Long animation frames (fallback: long tasks) that overlap an open stream are added to that
 * stream's span (count, total, max). One observer for the page, connected only while a stream is
 * open (see openStreamsChanged): with no stream open it costs nothing.
 */
export function observeLongFrames(openStreams: ReadonlySet<OpenStream>): () => void {
  if (typeof PerformanceObserver === 'undefined') return () => {};
  const supported = PerformanceObserver.supportedEntryTypes ?? [];
  const type = ['long-animation-frame', 'longtask'].find((t) => supported.includes(t));
  if (type === undefined) return () => {};
  const observer = new PerformanceObserver(
    guard('long frame observer', (list: PerformanceObserverEntryList) => {
      if (openStreams.size === 0) return;
      for (const entry of list.getEntries()) {
        const end = entry.startTime + entry.duration;
        for (const stream of openStreams) if (end >= stream.openedAt) stream.longFrame(entry.duration);
      }
    }),
  );
  let connected = false;
  const sync = (): void => {
    const want = openStreams.size > 0;
    if (want === connected) return;
    connected = want;
    try {
      if (want) observer.observe({ type, buffered: false });
      else observer.disconnect();
    } catch (error) {
      log.debug('long frames unavailable', error);
    }
  };
  watchers.set(openStreams, sync);
  sync();
  return () => {
    watchers.delete(openStreams);
    observer.disconnect();
    connected = false;
  };
}

/** A stream opened or ended: observe long frames only while some stream is open. */
export function openStreamsChanged(openStreams: ReadonlySet<OpenStream>): void {
  watchers.get(openStreams)?.();
}
