import { Server } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { joinQueryContext, promoteQueryContext } from './join-query.js';

const TP = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('promoteQueryContext', () => {
  it('replaces an invalid traceparent header by the valid query one and drops its tracestate', () => {
    const headers: IncomingHttpHeaders = { traceparent: '00-bad', tracestate: 'old=1' };
    promoteQueryContext({ headers, url: `/s?traceparent=${TP}&session_id=s%201&message_id=m-1` });
    expect(headers.traceparent).toBe(TP);
    expect(headers.tracestate).toBeUndefined();
    expect(headers.baggage).toBe('session.id=s1,streamtrace.message.id=m-1');
  });

  it('keeps baggage ids that are already there and appends only the missing ones', () => {
    const headers: IncomingHttpHeaders = { baggage: 'session.id=from-bag', 'x-message-id': 'm-h' };
    promoteQueryContext({ headers, url: '/s?session_id=q&message_id=q' });
    expect(headers.baggage).toBe('session.id=from-bag,streamtrace.message.id=m-h');
    expect(headers.traceparent).toBeUndefined();
  });

  it('does nothing for hostile or empty input', () => {
    const headers: IncomingHttpHeaders = {};
    for (const url of ['/', '/?traceparent=%', `/?traceparent=${TP}&traceparent=${TP}`, '/?traceparent=' + 'f'.repeat(100_000)]) {
      promoteQueryContext({ headers, url });
    }
    expect(headers).toEqual({});
    expect(() => promoteQueryContext({ headers: null as never, url: `/?traceparent=${TP}` })).not.toThrow();
  });
});

describe('promoteQueryContext header rules', () => {
  it('removes an invalid header traceparent with its tracestate, so no one joins it', () => {
    const headers: IncomingHttpHeaders = { traceparent: `01-${TP.slice(3)}-${'x'.repeat(600)}`, tracestate: 'a=1' };
    promoteQueryContext({ headers, url: '/s' });
    expect(headers).toEqual({});
  });

  it('keeps a valid header traceparent; drops an invalid tracestate, normalizes a valid one', () => {
    const bad: IncomingHttpHeaders = { traceparent: TP, tracestate: 'a=1,a=2' };
    promoteQueryContext({ headers: bad, url: '/s' });
    expect(bad).toEqual({ traceparent: TP });
    const good: IncomingHttpHeaders = { traceparent: TP, tracestate: ' a=1 ,, b=2' };
    promoteQueryContext({ headers: good, url: '/s' });
    expect(good).toEqual({ traceparent: TP, tracestate: 'a=1,b=2' });
  });

  it('an invalid header traceparent with a valid query one: the query one wins, as before', () => {
    const headers: IncomingHttpHeaders = { traceparent: TP.toUpperCase(), tracestate: 'old=1' };
    promoteQueryContext({ headers, url: `/s?traceparent=${TP}&tracestate=new%3D2` });
    expect(headers).toEqual({ traceparent: TP, tracestate: 'new=2' });
  });
});

describe('joinQueryContext', () => {
  it('wraps once and finds the prototype emit per call (instrumentation may patch it later)', () => {
    class LateServer extends Server {}
    const server = new LateServer();
    joinQueryContext(server);
    const wrapped = server.emit;
    joinQueryContext(server);
    expect(server.emit).toBe(wrapped);

    const seen: (string | string[] | undefined)[] = [];
    const original = LateServer.prototype.emit;
    LateServer.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]) {
      if (event === 'request') seen.push((args[0] as { headers: IncomingHttpHeaders }).headers.traceparent);
      return (original as (e: string | symbol, ...rest: unknown[]) => boolean).call(this, event, ...args);
    } as Server['emit'];
    server.emit('request', { headers: {}, url: `/s?traceparent=${TP}` }, {});
    expect(seen).toEqual([TP]);
  });
});
