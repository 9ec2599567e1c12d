import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES, isSdkReady, validatePageMessage } from './protocol';

const traceId = '0af7651916cd43dd8448eb211c80319c';
const spanId = 'b7ad6b7169203331';

describe('validatePageMessage', () => {
  it('accepts protocol-v1 spans and chunks messages and returns clean copies', () => {
    const chunks = validatePageMessage({
      source: 'streamtrace-sdk', version: 1, type: 'chunks',
      payload: { traceId, spanId, chunks: [{ index: 0, bytes: 3, arrivalMs: 10, paintMs: 12, extra: 'dropped' }] },
    });
    expect(chunks).toEqual({ source: 'streamtrace-sdk', version: 1, type: 'chunks', payload: { traceId, spanId, chunks: [{ index: 0, bytes: 3, arrivalMs: 10, paintMs: 12 }] } });
    const spans = validatePageMessage({ source: 'streamtrace-sdk', version: 1, type: 'spans', payload: { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId, spanId }] }] }] } });
    expect(spans?.type).toBe('spans');
  });

  it('ignores other sources, versions, types and malformed or oversized payloads', () => {
    const base = { source: 'streamtrace-sdk', version: 1 };
    expect(validatePageMessage({ ...base, source: 'other', type: 'spans', payload: { resourceSpans: [] } })).toBeUndefined();
    expect(validatePageMessage({ ...base, version: 2, type: 'spans', payload: { resourceSpans: [] } })).toBeUndefined();
    expect(validatePageMessage({ ...base, type: 'eval', payload: { code: 'alert(1)' } })).toBeUndefined();
    expect(validatePageMessage({ ...base, type: 'chunks', payload: { traceId: 'xyz', spanId, chunks: [] } })).toBeUndefined();
    expect(validatePageMessage({ ...base, type: 'chunks', payload: { traceId, spanId, chunks: [{ index: '0', bytes: 1, arrivalMs: 1 }] } })).toBeUndefined();
    expect(validatePageMessage({ ...base, type: 'spans', payload: { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 1 }] }] }] } })).toBeUndefined();
    const huge = 'x'.repeat(MAX_MESSAGE_BYTES);
    expect(validatePageMessage({ ...base, type: 'spans', payload: { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId, spanId, name: huge }] }] }] } })).toBeUndefined();
  });
});

describe('isSdkReady', () => {
  it('recognises only the SDK\'s protocol-v1 announcement, which is never forwarded as data', () => {
    const ready = { source: 'streamtrace-sdk', version: 1, type: 'ready', payload: {} };
    expect(isSdkReady(ready)).toBe(true);
    expect(validatePageMessage(ready)).toBeUndefined();
    expect(isSdkReady({ ...ready, version: 2 })).toBe(false);
    expect(isSdkReady({ ...ready, source: 'streamtrace-devtools' })).toBe(false);
    expect(isSdkReady({ ...ready, type: 'hello' })).toBe(false);
    expect(isSdkReady('ready')).toBe(false);
    expect(isSdkReady(null)).toBe(false);
  });
});
