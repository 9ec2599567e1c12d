import { beforeAll, describe, expect, it } from 'vitest';
import { PANEL_MODULE_ATTRIBUTE, startPanelModule, startPanelModuleAfter } from './panel-module';

beforeAll(() => {
  // happy-dom loads no script files; without this it logs each started module as a load failure.
  const settings = (window as unknown as { happyDOM?: { settings?: { handleDisabledFileLoadingAsSuccess?: boolean } } }).happyDOM?.settings;
  if (settings) settings.handleDisabledFileLoadingAsSuccess = true;
});

/** A page as the standalone build makes it: the module only preloaded. */
function page(doc: Document): Document {
  const link = doc.createElement('link');
  link.rel = 'modulepreload';
  link.crossOrigin = '';
  link.href = 'http://collector.test/index.js';
  link.setAttribute(PANEL_MODULE_ATTRIBUTE, '');
  doc.head.append(link);
  return doc;
}
const scripts = (doc: Document) => [...doc.querySelectorAll<HTMLScriptElement>(`script[${PANEL_MODULE_ATTRIBUTE}]`)];

describe("the standalone page's panel module", () => {
  it('is started once, as the module script the preload was for', () => {
    const doc = page(document.implementation.createHTMLDocument('panel'));
    startPanelModule(doc);
    startPanelModule(doc);
    expect(scripts(doc).map((script) => [script.type, script.src, script.getAttribute('crossorigin')])).toEqual([['module', 'http://collector.test/index.js', '']]);
  });

  it('starts after the drawn frame, or at once when nothing was drawn', () => {
    const now = page(document.implementation.createHTMLDocument('panel'));
    startPanelModuleAfter(now, false);
    expect(scripts(now)).toHaveLength(1);

    const later = page(document.implementation.createHTMLDocument('panel'));
    const pending: (() => void)[] = [];
    const frames = {
      requestAnimationFrame: (callback: FrameRequestCallback) => pending.push(() => callback(0)),
      setTimeout: ((callback: () => void) => pending.push(callback)) as unknown as Window['setTimeout'],
    };
    startPanelModuleAfter(later, true, frames);
    expect(scripts(later)).toHaveLength(0);
    pending.shift()!(); // the frame
    expect(scripts(later)).toHaveLength(0);
    pending.shift()!(); // the task after it
    expect(scripts(later)).toHaveLength(1);
  });

  it('is not started on a page without the preload', () => {
    const doc = document.implementation.createHTMLDocument('panel');
    startPanelModule(doc);
    expect(doc.querySelectorAll('script')).toHaveLength(0);
  });
});
