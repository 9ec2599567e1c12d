import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPresentationOffset, type PresentationOffset } from './presentation-offset.js';
import { MARK_ID, createPresentationWatch, type PresentationWatch } from './presentation-watch.js';

type Entry = { entryType: string; identifier?: string; paintTime?: number; presentationTime?: number };

/**
 * happy-dom has no Element Timing: a stand-in PerformanceObserver that supports the 'element' type
 * and lets the test deliver the entries Chromium would.
 */
class ElementTimingObserver {
  static readonly supportedEntryTypes = ['element', 'paint'];
  static last: ElementTimingObserver | undefined;
  observed: string[] = [];
  disconnected = false;
  constructor(private readonly callback: (list: { getEntries(): Entry[] }) => void) {
    ElementTimingObserver.last = this;
  }
  observe(options: { type: string }): void {
    this.observed.push(options.type);
  }
  disconnect(): void {
    this.disconnected = true;
  }
  deliver(entries: Entry[]): void {
    this.callback({ getEntries: () => entries });
  }
}

/** A watch on a render target that already holds a painted paragraph. */
function startWatch(): { watch: PresentationWatch; offset: PresentationOffset; observer: ElementTimingObserver; answer: HTMLElement; stop: () => void } {
  vi.stubGlobal('PerformanceObserver', ElementTimingObserver);
  const answer = document.createElement('div');
  answer.innerHTML = '<p>Earlier text</p>';
  document.body.append(answer);
  const offset = createPresentationOffset();
  const watch = createPresentationWatch(offset);
  const stop = watch.start();
  watch.watchTarget(answer);
  return { watch, offset, observer: ElementTimingObserver.last as ElementTimingObserver, answer, stop };
}

function paragraph(text: string): HTMLParagraphElement {
  const p = document.createElement('p');
  p.textContent = text;
  return p;
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe('presentation watch', () => {
  it('marks the element the app added before the frame paints it, and removes the mark when its entry arrived', () => {
    const { watch, observer, answer } = startWatch();
    expect(observer.observed).toEqual(['element']);
    // What the target held when watched was painted already: never marked.
    watch.frameStarted();
    expect(answer.querySelector('[elementtiming]')).toBeNull();

    const first = paragraph('Hello');
    answer.append(first);
    watch.frameStarted();
    expect(first.getAttribute('elementtiming')).toBe(MARK_ID);

    // One at a time: the next element is not marked while the first waits for its entry.
    const second = paragraph('world');
    answer.append(second);
    watch.frameStarted();
    expect(second.hasAttribute('elementtiming')).toBe(false);

    observer.deliver([{ entryType: 'element', identifier: MARK_ID, paintTime: 100, presentationTime: 108 }]);
    expect(first.hasAttribute('elementtiming')).toBe(false);
    expect(answer.innerHTML).toBe('<p>Earlier text</p><p>Hello</p><p>world</p>');
  });

  it('removes the mark after 300 ms when no entry comes (nothing painted, the page went hidden)', () => {
    vi.useFakeTimers();
    const { watch, answer } = startWatch();
    const added = paragraph('x');
    answer.append(added);
    watch.frameStarted();
    expect(added.getAttribute('elementtiming')).toBe(MARK_ID);
    vi.advanceTimersByTime(299);
    expect(added.getAttribute('elementtiming')).toBe(MARK_ID);
    vi.advanceTimersByTime(1);
    expect(added.hasAttribute('elementtiming')).toBe(false);
  });

  it("removes the mark at once when told (the message's streams settled)", () => {
    const { watch, answer } = startWatch();
    const added = paragraph('x');
    answer.append(added);
    watch.frameStarted();
    expect(added.getAttribute('elementtiming')).toBe(MARK_ID);
    watch.unmark();
    expect(added.hasAttribute('elementtiming')).toBe(false);
    expect(answer.innerHTML).toBe('<p>Earlier text</p><p>x</p>');
  });

  it('never marks an element that paints nothing (a script another library appends)', () => {
    const { watch, answer } = startWatch();
    const script = document.createElement('script');
    answer.append(script);
    watch.frameStarted();
    expect(script.hasAttribute('elementtiming')).toBe(false);
  });

  it('waits 100 ms before marking the next element', () => {
    const { watch, observer, answer } = startWatch();
    answer.append(paragraph('a'));
    watch.frameStarted();
    observer.deliver([{ entryType: 'element', identifier: MARK_ID }]);
    const now = Date.now();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(now + 90);
    const early = paragraph('b');
    answer.append(early);
    watch.frameStarted();
    expect(early.hasAttribute('elementtiming')).toBe(false);
    // Already seen (and painted in that frame): not marked later either.
    clock.mockReturnValue(now + 110);
    watch.frameStarted();
    expect(early.hasAttribute('elementtiming')).toBe(false);
    const next = paragraph('c');
    answer.append(next);
    watch.frameStarted();
    expect(next.getAttribute('elementtiming')).toBe(MARK_ID);
  });

  it('marks nothing while the page is hidden', () => {
    const { watch, answer } = startWatch();
    const state = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    document.dispatchEvent(new Event('visibilitychange'));
    const hidden = paragraph('h');
    answer.append(hidden);
    watch.frameStarted();
    expect(hidden.hasAttribute('elementtiming')).toBe(false);
    state.mockReturnValue('visible');
    document.dispatchEvent(new Event('visibilitychange'));
    const visible = paragraph('v');
    answer.append(visible);
    watch.frameStarted();
    expect(visible.getAttribute('elementtiming')).toBe(MARK_ID);
  });

  it('leaves the app’s own elementtiming alone, and never marks inline elements or text', () => {
    const { watch, observer, answer } = startWatch();
    const own = document.createElement('section');
    own.setAttribute('elementtiming', 'hero');
    answer.append(own);
    watch.frameStarted();
    expect(own.getAttribute('elementtiming')).toBe('hero');
    answer.append(document.createElement('span'), 'text');
    watch.frameStarted();
    answer.append('more text');
    watch.frameStarted();
    expect(answer.querySelectorAll('[elementtiming="streamtrace"]')).toHaveLength(0);
    // The app's entry ends nothing of ours and is not removed.
    observer.deliver([{ entryType: 'element', identifier: 'hero' }]);
    expect(own.getAttribute('elementtiming')).toBe('hero');
  });

  it('feeds the offset from any element entry of a frame the SDK probed', () => {
    const { offset, observer } = startWatch();
    for (let k = 0; k < 4; k++) offset.recordProbe(1000 + k * 16.7);
    observer.deliver([{ entryType: 'element', identifier: 'hero', paintTime: 1032.4, presentationTime: 1033.4 + 14.1 }]);
    expect(offset.offsetMs).toBeCloseTo(14.1, 6);
    // Entries without Chromium's paintTime/presentationTime (older engines) teach nothing.
    observer.deliver([{ entryType: 'element', identifier: 'x' }]);
    expect(offset.offsetMs).toBeCloseTo(14.1, 6);
  });

  it('stopping disconnects, removes a pending mark and marks nothing more', () => {
    const { watch, observer, stop, answer } = startWatch();
    const added = paragraph('x');
    answer.append(added);
    watch.frameStarted();
    stop();
    expect(observer.disconnected).toBe(true);
    expect(added.hasAttribute('elementtiming')).toBe(false);
    answer.append(paragraph('y'));
    watch.frameStarted();
    expect(answer.querySelector('[elementtiming]')).toBeNull();
  });

  it('observes nothing where Element Timing is not supported (no offset, as before)', () => {
    let constructed = 0;
    vi.stubGlobal(
      'PerformanceObserver',
      class {
        static readonly supportedEntryTypes = ['paint', 'longtask'];
        constructor() {
          constructed++;
        }
      },
    );
    const stop = createPresentationWatch(createPresentationOffset()).start();
    expect(constructed).toBe(0);
    stop();
    vi.stubGlobal('PerformanceObserver', undefined);
    expect(() => createPresentationWatch(createPresentationOffset()).start()()).not.toThrow();
  });
});
