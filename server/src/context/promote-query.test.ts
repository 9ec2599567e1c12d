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
