import { afterEach, describe, expect, it, vi } from 'vitest';
import { PresentationOffset } from './presentation-offset.js';
import { MARK_ID, PresentationWatch } from './presentation-watch.js';

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

/** The mutation records of one DOM change, as the SDK's commit observer receives them. */
async function recordsOf(target: Node, change: () => void): Promise<MutationRecord[]> {
  const records: MutationRecord[] = [];
  const observer = new MutationObserver((batch) => records.push(...batch));
  observer.observe(target, { childList: true, subtree: true, characterData: true });
  change();
  await new Promise((resolve) => setTimeout(resolve, 0));
  records.push(...observer.takeRecords());
  observer.disconnect();
  return records;
}

function startWatch(): { watch: PresentationWatch; offset: PresentationOffset; observer: ElementTimingObserver; stop: () => void } {
  vi.stubGlobal('PerformanceObserver', ElementTimingObserver);
  const offset = new PresentationOffset();
  const watch = new PresentationWatch(offset);
  const stop = watch.start();
  return { watch, offset, observer: ElementTimingObserver.last as ElementTimingObserver, stop };
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe('presentation watch', () => {
  it('marks an element a commit added and removes the mark when its Element Timing entry arrived', async () => {
    const { watch, observer } = startWatch();
    expect(observer.observed).toEqual(['element']);
    const answer = document.createElement('div');
    document.body.append(answer);
    const paragraph = document.createElement('p');
    paragraph.textContent = 'Hello';
    watch.committed(await recordsOf(answer, () => answer.append(paragraph)));
    expect(paragraph.getAttribute('elementtiming')).toBe(MARK_ID);

    // One at a time: the next commit's element is not marked while the first waits for its entry.
    const second = document.createElement('p');
    watch.committed(await recordsOf(answer, () => answer.append(second)));
    expect(second.hasAttribute('elementtiming')).toBe(false);

    observer.deliver([{ entryType: 'element', identifier: MARK_ID, paintTime: 100, presentationTime: 108 }]);
    expect(paragraph.hasAttribute('elementtiming')).toBe(false);
    expect(answer.outerHTML).toBe('<div><p>Hello</p><p></p></div>');
  });

  it('removes the mark after a second when no entry comes (hidden page, nothing painted)', async () => {
    const { watch } = startWatch();
    const paragraph = document.createElement('p');
    const records = await recordsOf(document.body, () => document.body.append(paragraph));
    vi.useFakeTimers();
    watch.committed(records);
    expect(paragraph.getAttribute('elementtiming')).toBe(MARK_ID);
    vi.advanceTimersByTime(999);
    expect(paragraph.getAttribute('elementtiming')).toBe(MARK_ID);
    vi.advanceTimersByTime(1);
    expect(paragraph.hasAttribute('elementtiming')).toBe(false);
  });

  it('waits 100 ms before marking the next element', async () => {
    const { watch, observer } = startWatch();
    const first = document.createElement('p');
    watch.committed(await recordsOf(document.body, () => document.body.append(first)));
    observer.deliver([{ entryType: 'element', identifier: MARK_ID }]);
    const now = Date.now();
    const clock = vi.spyOn(Date, 'now');
    const second = document.createElement('p');
    const records = await recordsOf(document.body, () => document.body.append(second));
    clock.mockReturnValue(now + 90);
    watch.committed(records);
    expect(second.hasAttribute('elementtiming')).toBe(false);
    clock.mockReturnValue(now + 110);
    watch.committed(records);
    expect(second.getAttribute('elementtiming')).toBe(MARK_ID);
  });

  it('marks nothing while the page is hidden', async () => {
    const { watch } = startWatch();
    const paragraph = document.createElement('p');
    const records = await recordsOf(document.body, () => document.body.append(paragraph));
    const state = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    document.dispatchEvent(new Event('visibilitychange'));
    watch.committed(records);
    expect(paragraph.hasAttribute('elementtiming')).toBe(false);
    state.mockReturnValue('visible');
    document.dispatchEvent(new Event('visibilitychange'));
    watch.committed(records);
    expect(paragraph.getAttribute('elementtiming')).toBe(MARK_ID);
  });

  it('leaves the app’s own elementtiming alone, and never marks inline elements or text', async () => {
    const { watch, observer } = startWatch();
    const own = document.createElement('section');
    own.setAttribute('elementtiming', 'hero');
    watch.committed(await recordsOf(document.body, () => document.body.append(own)));
    expect(own.getAttribute('elementtiming')).toBe('hero');
    const span = document.createElement('span');
    watch.committed(await recordsOf(own, () => own.append(span, 'text')));
    expect(span.hasAttribute('elementtiming')).toBe(false);
    watch.committed(await recordsOf(own, () => own.append('more text')));
    expect(document.querySelectorAll('[elementtiming="streamtrace"]')).toHaveLength(0);
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

  it('stopping disconnects, removes a pending mark and marks nothing more', async () => {
    const { watch, observer, stop } = startWatch();
    const paragraph = document.createElement('p');
    const records = await recordsOf(document.body, () => document.body.append(paragraph));
    watch.committed(records);
    stop();
    expect(observer.disconnected).toBe(true);
    expect(paragraph.hasAttribute('elementtiming')).toBe(false);
    watch.committed(records);
    expect(paragraph.hasAttribute('elementtiming')).toBe(false);
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
    const stop = new PresentationWatch(new PresentationOffset()).start();
    expect(constructed).toBe(0);
    stop();
    vi.stubGlobal('PerformanceObserver', undefined);
    expect(() => new PresentationWatch(new PresentationOffset()).start()()).not.toThrow();
  });
});
