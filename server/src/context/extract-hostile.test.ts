import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { extractRequestContext } from './extract.js';
import { promoteQueryContext } from './join-query.js';

const TP = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('extractRequestContext on hostile input', () => {
  it('never throws: throwing header getters or first-frame getters start a new trace', () => {
    const headers = Object.defineProperty({}, 'traceparent', { enumerable: true, get: () => { throw new Error('boom'); } });
    expect(extractRequestContext({ headers }).source).toBe('none');
    const frame = { get traceparent(): string { throw new Error('boom'); } };
    expect(extractRequestContext({ headers: {} }, frame).source).toBe('none');
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(extractRequestContext({ headers: revoked.proxy as Record<string, string> }).source).toBe('none');
  });

  it('deeply nested or oversized first frames, bad percent-encoding and huge baggage are ignored, not fatal', () => {
    expect(extractRequestContext({ headers: {} }, '['.repeat(200_000) + ']'.repeat(200_000)).source).toBe('none');
    expect(extractRequestContext({ headers: {} }, JSON.stringify({ traceparent: TP, pad: 'x'.repeat(2 * 1024 * 1024) })).source).toBe('none');
    const badQuery = extractRequestContext({ headers: {}, url: '/s?traceparent=%E0%A4%A&session_id=%&message_id=%3Cscript%3E' });
    expect(badQuery.source).toBe('none');
    expect(badQuery.sessionId).toBeUndefined();
    expect(badQuery.messageId).toBe('script');
    const bigBaggage = extractRequestContext({ headers: { baggage: `${'a=b,'.repeat(50_000)}session.id=s1`, traceparent: TP } });
    expect(bigBaggage.source).toBe('header');
    expect(trace.getSpanContext(bigBaggage.context)?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('a frame cannot smuggle context through __proto__', () => {
    expect(extractRequestContext({ headers: {} }, `{"__proto__":{"traceparent":"${TP}"}}`).source).toBe('none');
  });
});

describe('promoteQueryContext on hostile input', () => {
  it('replaces a repeated (invalid) traceparent header with the valid query one and sanitizes ids into baggage', () => {
    const req = { headers: { traceparent: ['x', 'y'] } as Record<string, string | string[]>, url: `/s?traceparent=${TP}&session_id=s%3Cb%3E1` };
    promoteQueryContext(req);
    expect(req.headers).toEqual({ traceparent: TP, baggage: 'session.id=sb1' });
    expect(extractRequestContext(req).source).toBe('query');
  });
});
