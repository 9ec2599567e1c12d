import { propagation, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { extractRequestContext } from './extract.js';

const TP = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const OTHER = '00-11111111111111111111111111111111-2222222222222222-01';

describe('extractRequestContext', () => {
  it('prefers headers, then query parameters, then the first frame', () => {
    const both = extractRequestContext({ headers: { traceparent: TP }, url: `/s?traceparent=${OTHER}` }, { traceparent: OTHER });
    expect(both.source).toBe('header');
    expect(trace.getSpanContext(both.context)?.spanId).toBe('00f067aa0ba902b7');
    const query = extractRequestContext({ headers: { traceparent: 'garbage' }, url: `/s?traceparent=${OTHER}` });
    expect(query.source).toBe('query');
    expect(trace.getSpanContext(query.context)?.traceId).toBe('11111111111111111111111111111111');
    const frame = extractRequestContext({ headers: {}, url: '/ws' }, JSON.stringify({ traceparent: TP, message: 'x' }));
    expect(frame.source).toBe('frame');
  });

  it('reads session and message ids from x- headers, baggage, query and frame, into baggage', () => {
    const fromHeaders = extractRequestContext({ headers: { 'x-session-id': 's-1', 'x-message-id': 'm-1' } });
    expect([fromHeaders.sessionId, fromHeaders.messageId]).toEqual(['s-1', 'm-1']);
    const bag = propagation.getBaggage(fromHeaders.context);
    expect(bag?.getEntry('session.id')?.value).toBe('s-1');
    expect(bag?.getEntry('streamtrace.message.id')?.value).toBe('m-1');

    const fromBaggage = extractRequestContext({
      headers: { baggage: 'other=1, session.id=s%3A2;prop, streamtrace.message.id=m-2' },
    });
    expect([fromBaggage.sessionId, fromBaggage.messageId]).toEqual(['s:2', 'm-2']);
    expect(propagation.getBaggage(fromBaggage.context)?.getEntry('other')?.value).toBe('1');

    const fromQuery = extractRequestContext({ headers: {}, url: '/s?session_id=s-3&message_id=m-3' });
    expect([fromQuery.sessionId, fromQuery.messageId]).toEqual(['s-3', 'm-3']);
    const fromFrame = extractRequestContext({ headers: {} }, { session_id: 's-4', message_id: 'm-4' });
    expect([fromFrame.sessionId, fromFrame.messageId]).toEqual(['s-4', 'm-4']);
    expect(fromFrame.source).toBe('none');
  });

  it('sanitizes ids: unsafe characters removed, 128 characters at most', () => {
    const result = extractRequestContext({
      headers: { 'x-session-id': '<script>alert(1)</script>', 'x-message-id': 'm'.repeat(500) },
    });
    expect(result.sessionId).toBe('scriptalert1/script');
    expect(result.messageId).toHaveLength(128);
    expect(extractRequestContext({ headers: { 'x-session-id': '\u0000\n ' } }).sessionId).toBeUndefined();
  });

  it('never throws on hostile input and starts a new trace', () => {
    const hostile: unknown[] = [
      { headers: { traceparent: 'x'.repeat(100_000), baggage: '%%%,=,;;;' }, url: '/?%zz=%%&traceparent=%E0%A4%A' },
      { headers: {}, url: 42 },
      { headers: null },
      {},
    ];
    for (const req of hostile) {
      const result = extractRequestContext(req as never, '{"traceparent": ');
      expect(result.source).toBe('none');
      expect(trace.getSpanContext(result.context)).toBeUndefined();
    }
    expect(extractRequestContext({ headers: {} }, { traceparent: { toString: () => TP } }).source).toBe('none');
    expect(extractRequestContext({ headers: {} }, Buffer.from([0xff, 0xfe, 0x00])).source).toBe('none');
  });
});
