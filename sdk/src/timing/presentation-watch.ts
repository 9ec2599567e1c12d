import type { PresentationOffset } from './presentation-offset.js';
import { guard } from '../diag.js';
import { isHidden } from './clock.js';

export const PROBE_ID = 'streamtrace';
/** One probe at a time, and the next one not before this long after. */
const PROBE_EVERY_MS = 100;
/** No entry by then (the page went hidden, the frame was dropped): the probe goes anyway. */
const PROBE_TIMEOUT_MS = 300;
/**
 * Painted (Element Timing reports it) but invisible: clipped to nothing, so it is not seen and takes
 * no clicks; fixed, so it neither moves the page nor leaves the viewport (off-screen text reports
 * nothing); unselectable, so a select-all copies what it would without the SDK.
 */
const PROBE_STYLE = 'position:fixed;inset:0;clip-path:inset(50%);user-select:none';

interface PresentedEntry extends PerformanceEntry {
  paintTime?: number;
  presentationTime?: number;
  identifier?: string;
}

/**
 * Feeds PresentationOffset with Chromium's presentation times from Element Timing entries. At the
 * start of a frame the SDK waits for (its rAF, before the frame paints, in a frame where a chunk's
 * DOM change is on its way to the screen), a probe is put on the page — one at a time, at most every
 * 100 ms — and goes when its entry arrived, when the message's streams settled, or after 300 ms.
 * Whatever the app renders (one growing text block, paragraphs, inline elements), the frame's
 * presentation is learnt; nothing per chunk. The probe is an unknown element (`<streamtrace>`, no
 * hyphen, so an app's `:not(:defined)` rule does not hide it) holding one clipped character, a child
 * of `<html>`, outside `<body>` where apps render. Every other element entry of the page is a sample too.
 * Without Element Timing (other engines) nothing is learnt.
 */
export interface PresentationWatch {
  /** Starts observing; returns the undo. Without Element Timing support it does nothing (no offset). */
  start(): () => void;
  /** The render target of the latest message: when it holds `<html>` itself a probe would look like a commit. */
  watchTarget(target: Node): void;
  /** Start of a frame (before it paints): puts the probe on the page when one is due. */
  frameStarted(): void;
  /** Takes the probe off the page (its entry came, it timed out, or the message's streams settled). */
  unmark(): void;
}

export function createPresentationWatch(offset: PresentationOffset): PresentationWatch {
  let probe: HTMLElement | undefined;
  let probing = false;
  let targetHoldsRoot = false;
  let nextProbeAt = Infinity;
  let removalTimer: ReturnType<typeof setTimeout> | undefined;

  const removeProbe = (): void => {
    clearTimeout(removalTimer);
    if (!probing) return;
    probing = false;
    probe?.remove();
    nextProbeAt = Date.now() + PROBE_EVERY_MS;
  };

  const onEntries = guard('paint timing', (list: PerformanceObserverEntryList): void => {
    for (const entry of list.getEntries() as PresentedEntry[]) {
      if (entry.identifier === PROBE_ID) removeProbe();
      // Chromium 13x+ (PaintTimingMixin); without paintTime no probe matches, without presentationTime nothing is added.
      if ((entry.presentationTime as number) > 0) offset.addEntry(entry.paintTime as number, entry.presentationTime as number);
    }
  });

  return {
    start() {
      if (!globalThis.PerformanceObserver?.supportedEntryTypes?.includes('element')) return () => undefined;
      const observer = new PerformanceObserver(onEntries);
      observer.observe({ type: 'element' });
      nextProbeAt = 0;
      return () => {
        observer.disconnect();
        removeProbe();
        nextProbeAt = Infinity;
      };
    },
    watchTarget(target) {
      targetHoldsRoot = target.contains(document.documentElement);
    },
    frameStarted() {
      if (Date.now() < nextProbeAt || isHidden() || targetHoldsRoot) return;
      // First: a page where the probe cannot be inserted (an XML document) fails once, not every frame.
      nextProbeAt = Infinity;
      if (probe === undefined) {
        probe = document.createElement(PROBE_ID);
        probe.setAttribute('elementtiming', PROBE_ID);
        probe.ariaHidden = 'true';
        probe.style.cssText = PROBE_STYLE;
        probe.textContent = '.';
      }
      // Element Timing reports an element again each time it is inserted and painted.
      document.documentElement.append(probe);
      probing = true;
      removalTimer = setTimeout(removeProbe, PROBE_TIMEOUT_MS);
    },
    unmark: removeProbe,
  };
}
