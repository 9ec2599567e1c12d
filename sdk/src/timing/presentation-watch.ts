import type { PresentationOffset } from './presentation-offset.js';
import { guard } from '../diag.js';
import { isHidden } from './clock.js';

const ATTR = 'elementtiming';
export const MARK_ID = 'streamtrace';
/** At most one element marked at a time, and the next one not before this long after. */
const MARK_EVERY_MS = 100;
/** No entry by then (it painted no text, the page went hidden): the attribute goes anyway. */
const MARK_TIMEOUT_MS = 300;
/**
 * Never marked: inline elements get no text entry of their own (their block does); elements that
 * paint nothing (another script appending to a body-wide render target) would only wait out the timeout.
 */
const UNMARKED = new Set(['A', 'B', 'BR', 'CODE', 'EM', 'I', 'SPAN', 'STRONG', 'SCRIPT', 'STYLE', 'LINK', 'META', 'TEMPLATE', 'NOSCRIPT']);

interface PresentedEntry extends PerformanceEntry {
  paintTime?: number;
  presentationTime?: number;
  identifier?: string;
}

/**
 * Feeds PresentationOffset with Chromium's presentation times from Element Timing entries. At the
 * start of a frame the SDK waits for (its rAF, before the frame paints), when the message's render
 * target has a new last element (a paragraph, list, code block the app just added, so it has not
 * painted yet), that element is marked with `elementtiming` — one at a time, at most every 100 ms —
 * and the attribute goes when its entry arrived, when the message's streams settled, or after 300 ms. One DOM read per frame, nothing per
 * chunk. Nothing is inserted; an element that already has the attribute is left alone (every element
 * entry of the page is a sample anyway). Without Element Timing (other engines) nothing is learnt.
 */
export interface PresentationWatch {
  /** Starts observing; returns the undo. Without Element Timing support it does nothing (no offset). */
  start(): () => void;
  /** The render target of the latest message: what it holds now is painted already. */
  watchTarget(target: Node): void;
  /** Start of a frame (before it paints): marks the target's new last element when a mark is due. */
  frameStarted(): void;
  /** Removes the current mark (its entry came, it timed out, or the message's streams settled). */
  unmark(): void;
}

export function createPresentationWatch(offset: PresentationOffset): PresentationWatch {
  let watchedTarget: ParentNode | undefined;
  let lastElement: Element | null = null;
  let markedElement: Element | undefined;
  let nextMarkAt = 0;
  let unmarkTimer: ReturnType<typeof setTimeout> | undefined;

  const unmark = (): void => {
    clearTimeout(unmarkTimer);
    const element = markedElement;
    if (element === undefined) return;
    markedElement = undefined;
    if (element.getAttribute(ATTR) === MARK_ID) element.removeAttribute(ATTR);
    nextMarkAt = Date.now() + MARK_EVERY_MS;
  };

  const onEntries = guard('presentation timing', (list: PerformanceObserverEntryList): void => {
    for (const entry of list.getEntries() as PresentedEntry[]) {
      if (entry.identifier === MARK_ID) unmark();
      // Chromium 13x+ (PaintTimingMixin); without paintTime no probe matches, without presentationTime nothing is added.
      if ((entry.presentationTime as number) > 0) offset.addEntry(entry.paintTime as number, entry.presentationTime as number);
    }
  });

  return {
    start() {
      if (!globalThis.PerformanceObserver?.supportedEntryTypes?.includes('element')) return () => undefined;
      const observer = new PerformanceObserver(onEntries);
      observer.observe({ type: 'element' });
      return () => {
        observer.disconnect();
        unmark();
        nextMarkAt = Infinity;
      };
    },
    watchTarget(target) {
      watchedTarget = target as ParentNode;
      lastElement = (target as ParentNode).lastElementChild;
    },
    frameStarted() {
      const element = watchedTarget?.lastElementChild;
      if (element === lastElement || element == null) return;
      lastElement = element;
      if (Date.now() < nextMarkAt || isHidden() || UNMARKED.has(element.nodeName) || element.hasAttribute(ATTR)) return;
      element.setAttribute(ATTR, MARK_ID);
      markedElement = element;
      nextMarkAt = Infinity;
      unmarkTimer = setTimeout(unmark, MARK_TIMEOUT_MS);
    },
    unmark,
  };
}
