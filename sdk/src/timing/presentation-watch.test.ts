import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPresentationOffset, type PresentationOffset } from './presentation-offset.js';
import { PROBE_ID, createPresentationWatch, type PresentationWatch } from './presentation-watch.js';

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

const probes = (): Element[] => [...document.querySelectorAll('[elementtiming]')];

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  document.body.replaceChildren();
  for (const probe of probes()) probe.remove();
});

describe('presentation watch', () => {
  it('puts an invisible probe outside <body> at the start of a frame and takes it off when its entry arrived; the app\u2019s DOM is untouched', () => {
    const { watch, observer, answer } = startWatch();
    expect(observer.observed).toEqual(['element']);
    answer.append('one growing text block');
    watch.frameStarted();
    const [probe, ...others] = probes();
    expect(others).toHaveLength(0);
    expect(probe?.nodeName).toBe('STREAMTRACE');
    expect(probe?.parentNode).toBe(document.documentElement);
    expect(probe?.getAttribute('elementtiming')).toBe(PROBE_ID);
    // ARIA reflection (Chromium sets the attribute; happy-dom has no reflection): test/e2e/new-user-paint.spec.ts.
    expect((probe as HTMLElement).ariaHidden).toBe('true');
    expect(probe?.textContent).toBe('.');
    // Painted, so Element Timing reports it, but clipped to nothing and out of the page's flow.
    expect((probe as HTMLElement).style.position).toBe('fixed');
    expect((probe as HTMLElement).style.clipPath).toBe('inset(50%)');
    expect(document.body.innerHTML).toBe('<div><p>Earlier text</p>one growing text block</div>');

    // One at a time.
    watch.frameStarted();
    expect(probes()).toHaveLength(1);

    observer.deliver([{ entryType: 'element', identifier: PROBE_ID, paintTime: 100, presentationTime: 108 }]);
    expect(probes()).toHaveLength(0);
  });

  it('takes the probe off after 300 ms when no entry comes (the frame was dropped, the page went hidden)', () => {
    vi.useFakeTimers();
    const { watch } = startWatch();
    watch.frameStarted();
    vi.advanceTimersByTime(299);
    expect(probes()).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(probes()).toHaveLength(0);
  });

  it("takes the probe off at once when told (the message's streams settled)", () => {
    const { watch, answer } = startWatch();
    watch.frameStarted();
    expect(probes()).toHaveLength(1);
    watch.unmark();
    expect(probes()).toHaveLength(0);
    expect(answer.innerHTML).toBe('<p>Earlier text</p>');
  });

  it('waits 100 ms after an entry before the next probe, then probes again', () => {
    const { watch, observer } = startWatch();
    watch.frameStarted();
    observer.deliver([{ entryType: 'element', identifier: PROBE_ID }]);
    const now = Date.now();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(now + 90);
    watch.frameStarted();
    expect(probes()).toHaveLength(0);
    clock.mockReturnValue(now + 110);
    watch.frameStarted();
    expect(probes()).toHaveLength(1);
  });

  it('probes nothing while the page is hidden', () => {
    const { watch } = startWatch();
    const state = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    document.dispatchEvent(new Event('visibilitychange'));
    watch.frameStarted();
    expect(probes()).toHaveLength(0);
    state.mockReturnValue('visible');
    document.dispatchEvent(new Event('visibilitychange'));
    watch.frameStarted();
    expect(probes()).toHaveLength(1);
  });

  it('probes nothing while the render target holds <html> itself (the probe would look like a commit of the app)', () => {
    const { watch, answer } = startWatch();
    watch.watchTarget(document.documentElement);
    watch.frameStarted();
    expect(probes()).toHaveLength(0);
    watch.watchTarget(document.body);
    watch.frameStarted();
    expect(probes()).toHaveLength(1);
    watch.unmark();
    watch.watchTarget(answer);
  });

  it('leaves the app\u2019s own elementtiming alone: its entry ends nothing of ours and is not removed', () => {
    const { watch, observer, answer } = startWatch();
    const own = document.createElement('section');
    own.setAttribute('elementtiming', 'hero');
    answer.append(own);
    watch.frameStarted();
    observer.deliver([{ entryType: 'element', identifier: 'hero' }]);
    expect(own.getAttribute('elementtiming')).toBe('hero');
    expect(document.documentElement.querySelectorAll(`[elementtiming="${PROBE_ID}"]`)).toHaveLength(1);
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

  it('a page that refuses the probe fails once, not every frame', () => {
    const { watch } = startWatch();
    const append = vi.spyOn(document.documentElement, 'append').mockImplementation(() => {
      throw new DOMException('refused', 'HierarchyRequestError');
    });
    expect(() => watch.frameStarted()).toThrow('refused');
    watch.frameStarted();
    expect(append).toHaveBeenCalledTimes(1);
  });

  it('stopping disconnects, takes the probe off and probes no more', () => {
    const { watch, observer, stop } = startWatch();
    watch.frameStarted();
    stop();
    expect(observer.disconnected).toBe(true);
    expect(probes()).toHaveLength(0);
    watch.frameStarted();
    expect(probes()).toHaveLength(0);
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
