import type { PresentationOffset } from './presentation-offset.js';
import { guard } from '../diag.js';
import { isHidden } from './clock.js';

const ATTR = 'elementtiming';
export const MARK_ID = 'streamtrace';
/** At most one element marked at a time, and the next one not before this long after. */
const MARK_EVERY_MS = 100;
/** No entry by then (it painted no text, the page went hidden): the attribute goes anyway. */
const MARK_TIMEOUT_MS = 1000;
/** Inline elements never get a text entry of their own (their block does). */
const INLINE = /^(A|B|BR|CODE|EM|I|SPAN|STRONG)$/;

interface PresentedEntry extends PerformanceEntry {
  paintTime?: number;
  presentationTime?: number;
  identifier?: string;
}

/**
 * Feeds PresentationOffset with Chromium's presentation times from Element Timing entries. Now and
 * then (one at a time, at most every 100 ms) a DOM commit that added an element (so it has painted
 * nothing yet) marks it with `elementtiming`; the attribute goes when its entry arrived (or after
 * 1 s). Nothing is inserted; an element that already has the attribute is left alone (every element
 * entry of the page is a sample anyway). Without Element Timing (other engines) no offset is learnt.
 */
export class PresentationWatch {
  private markedElement: Element | undefined;
  private nextMarkAt = 0;
  private unmarkTimer: ReturnType<typeof setTimeout> | undefined;

  private declare readonly presentationOffset: PresentationOffset;

  constructor(offset: PresentationOffset) {
    this.presentationOffset = offset;
  }

  /** Starts observing; returns the undo. Without Element Timing support it does nothing (no offset). */
  start(): () => void {
    if (!globalThis.PerformanceObserver?.supportedEntryTypes?.includes('element')) return () => undefined;
    const observer = new PerformanceObserver(this.onEntries);
    observer.observe({ type: 'element' });
    return () => {
      observer.disconnect();
      this.unmark();
      this.nextMarkAt = Infinity;
    };
  }

  /**
   * A DOM commit of a message's render target (`records`: its mutations). While a mark is due, each
   * commit's first few records are looked at (O(1)) until one added a (non-inline) element.
   */
  committed(records: MutationRecord[]): void {
    // A hidden page paints nothing: no mark.
    if (Date.now() < this.nextMarkAt || isHidden()) return;
    const element = unpaintedElement(records);
    if (element === undefined || element.hasAttribute(ATTR)) return;
    element.setAttribute(ATTR, MARK_ID);
    this.markedElement = element;
    this.nextMarkAt = Infinity;
    this.unmarkTimer = setTimeout(this.unmark, MARK_TIMEOUT_MS);
  }

  private readonly unmark = (): void => {
    clearTimeout(this.unmarkTimer);
    const element = this.markedElement;
    if (element === undefined) return;
    this.markedElement = undefined;
    if (element.getAttribute(ATTR) === MARK_ID) element.removeAttribute(ATTR);
    this.nextMarkAt = Date.now() + MARK_EVERY_MS;
  };

  private readonly onEntries = guard('presentation timing', (list: PerformanceObserverEntryList): void => {
    for (const entry of list.getEntries() as PresentedEntry[]) {
      if (entry.identifier === MARK_ID) this.unmark();
      // Chromium 13x+ (PaintTimingMixin); without paintTime no probe matches, without presentationTime nothing is added.
      if ((entry.presentationTime as number) > 0) this.presentationOffset.addEntry(entry.paintTime as number, entry.presentationTime as number);
    }
  });
}

/** An element (not inline: those get no entry of their own) added by one of the commit's first records. */
export function unpaintedElement(records: MutationRecord[]): Element | undefined {
  for (let i = 0; i < records.length && i < 4; i++) {
    const node = (records[i] as MutationRecord).addedNodes[0];
    if (node !== undefined && node.nodeType === 1 && !INLINE.test(node.nodeName)) return node as Element;
  }
  return undefined;
}
