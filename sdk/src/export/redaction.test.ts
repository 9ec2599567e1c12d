import { describe, expect, it } from 'vitest';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { redactionProcessor, redactContentParams } from './redaction.js';

const ended = (attributes: Record<string, unknown>, eventAttributes: Record<string, unknown> = {}): ReadableSpan =>
  ({ name: 'chat.stream', attributes, events: [{ name: 'e', attributes: eventAttributes, time: [0, 0] }] }) as unknown as ReadableSpan;

describe('RedactionProcessor', () => {
  it('applies the hook to span and event attributes; undefined removes, a throwing hook fails closed', () => {
    const span = ended({ 'user.email': 'a@b.c', keep: 1, boom: 'x' }, { 'user.email': 'a@b.c' });
    redactionProcessor((key, value) => {
      if (key === 'boom') throw new Error('no');
      return key === 'user.email' ? undefined : value;
    }, false).onEnd(span);
    expect(span.attributes).toEqual({ keep: 1 });
    expect(span.events[0]?.attributes).toEqual({});
  });

  it('removes authorization/cookie attributes and, without captureContent, prompt query values', () => {
    const span = ended({ 'http.request.header.authorization': 'Bearer x', 'url.full': 'http://h/s?message=hello%20there&fault=stall#f' });
    redactionProcessor(undefined, false).onEnd(span);
    expect(span.attributes).toEqual({ 'url.full': 'http://h/s?message=REDACTED&fault=stall#f' });
    const kept = ended({ 'url.full': 'http://h/s?message=hi' });
    redactionProcessor(undefined, true).onEnd(kept);
    expect(kept.attributes['url.full']).toBe('http://h/s?message=hi');
  });

  it('removes exactly the header-like keys (the name, or .name at the end), in any case, from spans and events', () => {
    const pattern = /(^|\.)(authorization|cookie|set_cookie|set-cookie|proxy[-_]authorization)$/i;
    const keys = [
      'authorization', 'Authorization', 'COOKIE', 'set_cookie', 'Set-Cookie', 'proxy-authorization', 'Proxy_Authorization',
      'http.request.header.authorization', 'http.response.header.set-cookie', 'a.b.Cookie', 'x.proxy_authorization',
      'xauthorization', 'http.request.header.x-authorization', 'cookies', 'cookie.name', 'set.cookie', 'proxy.authorization.x',
      'proxy authorization', 'setcookie', '', '.', '.cookie', 'cookie.', 'a..cookie', 'autHorizatİon', 'ſet-cookie', 'set-cooKie',
      'K.cookie', 'streamtrace.chunk.index', 'url.full',
    ];
    const span = ended(Object.fromEntries(keys.map((k) => [k, 1])), Object.fromEntries(keys.map((k) => [k, 'v'])));
    redactionProcessor(undefined, true).onEnd(span);
    const kept = keys.filter((k) => !pattern.test(k));
    expect(Object.keys(span.attributes)).toEqual(kept);
    expect(Object.keys(span.events[0]?.attributes ?? {})).toEqual(kept);
    expect(kept).not.toContain('Set-Cookie');
    expect(kept).toContain('xauthorization');
  });

  it('leaves URLs without content parameters untouched', () => {
    expect(redactContentParams('http://h/sse?count=5&delay=20')).toBe('http://h/sse?count=5&delay=20');
    expect(redactContentParams('http://h/sse?Prompt=x&q')).toBe('http://h/sse?Prompt=REDACTED&q');
  });
});
