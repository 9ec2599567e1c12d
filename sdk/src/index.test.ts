import { describe, expect, it, vi } from 'vitest';
import * as web from './index.js';
import * as devtools from './devtools/index.js';
import * as scriptTag from './script-tag.js';

describe('public surface', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(web).sort()).toEqual(['init']);
    expect(Object.keys(devtools).sort()).toEqual(['createPageHook', 'enableDevtools']);
    expect(Object.keys(scriptTag).sort()).toEqual(['enableDevtools', 'init', 'instance', 'optionsFromScript', 'version']);
  });

  it('a second copy of the SDK (script tag twice, or tag plus bundle) returns the running instance', async () => {
    const nativeFetch = globalThis.fetch;
    const st = web.init({ serviceName: 'unit', endpoint: 'http://127.0.0.1:9/v1/traces', sampleRate: 0, pageHealth: false });
    const wrapped = globalThis.fetch;
    vi.resetModules();
    const copy = (await import('./index.js')) as typeof web;
    expect(copy.init).not.toBe(web.init);
    expect(copy.init({ serviceName: 'other' })).toBe(st);
    expect(globalThis.fetch).toBe(wrapped);
    await st.shutdown();
    expect(globalThis.fetch).toBe(nativeFetch);
    const fresh = copy.init({ serviceName: 'unit', endpoint: 'http://127.0.0.1:9/v1/traces', sampleRate: 0, pageHealth: false });
    expect(fresh).not.toBe(st);
    await fresh.shutdown();
  });

  it('reads script-tag data attributes', () => {
    const script = document.createElement('script');
    script.dataset.endpoint = 'http://c/v1/traces';
    script.dataset.serviceName = 'svc';
    script.dataset.propagateTo = 'http://a:1, /api ,';
    script.dataset.sampleRate = '0.5';
    script.dataset.captureContent = 'true';
    script.dataset.compression = ' gzip';
    expect(scriptTag.optionsFromScript(script)).toEqual({
      endpoint: 'http://c/v1/traces', serviceName: 'svc', propagateTo: ['http://a:1', '/api'], sampleRate: 0.5, captureContent: true, compression: 'gzip',
    });
    script.dataset.compression = 'brotli';
    expect(scriptTag.optionsFromScript(script)?.compression).toBeUndefined();
    expect(scriptTag.optionsFromScript(document.createElement('script'))).toBeUndefined();
  });

  it('init returns a working handle and shuts down cleanly; a sampled-out session still gets ids', async () => {
    const nativeFetch = globalThis.fetch;
    const st = web.init({ serviceName: 'unit', endpoint: 'http://127.0.0.1:9/v1/traces', sampleRate: 0, propagateTo: ['http://x'], pageHealth: false });
    expect(globalThis.fetch).not.toBe(nativeFetch);
    expect(web.init()).toBe(st);
    expect(st.session.id).toMatch(/^[\da-f]{32}$/);
    const msg = st.startMessage({ conversationId: 'c' });
    expect(msg.traceId).toMatch(/^[\da-f]{32}$/);
    expect(st.currentMessage()).toBe(msg);
    msg.end();
    expect(st.currentMessage()).toBeUndefined();
    expect(st.stats()).toEqual({ spansExported: 0, spansDropped: 0, spansPending: 0, exportFailures: 0, exportRetries: 0 });
    await st.shutdown();
    expect(globalThis.fetch).toBe(nativeFetch);
  });
});
