import { describe, expect, it } from 'vitest';
import { isExportUrl, shouldPropagate, toAbsoluteUrl } from './match.js';
import { injectFetchHeaders } from './inject-fetch.js';
import { injectUrlParams } from './inject-url.js';
import { contextValues } from './context-values.js';
import { sanitizeUrl } from './sanitize-url.js';
import { serverAttributes } from './server-context.js';

const values = contextValues({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 }, 'sess1', 'msg1');
const url = (s: string): URL => toAbsoluteUrl(s) as URL;

describe('propagateTo matching', () => {
  it('matches by origin and path prefix, RegExps, and same-origin relative URLs', () => {
    const list = ['http://localhost:8787', /\/chat$/, '/api/'];
    expect(shouldPropagate(url('http://localhost:8787/api/chat'), list)).toBe(true);
    expect(shouldPropagate(url('http://localhost:87870/x'), list)).toBe(false);
    expect(shouldPropagate(url('http://evil.example/localhost:8787'), list)).toBe(false);
    expect(shouldPropagate(url('https://other.example/chat'), list)).toBe(true);
    expect(shouldPropagate(url('/api/chat/stream'), list)).toBe(location.origin !== 'null');
    expect(shouldPropagate(url('/other'), list)).toBe(false);
    expect(shouldPropagate(url('http://localhost:8787/'), [])).toBe(false);
  });

  it('matches a path entry at segment boundaries only', () => {
    const list = ['http://localhost:8787/api', 'http://localhost:8787/v1/'];
    expect(shouldPropagate(url('http://localhost:8787/api'), list)).toBe(true);
    expect(shouldPropagate(url('http://localhost:8787/api/chat'), list)).toBe(true);
    expect(shouldPropagate(url('http://localhost:8787/api?x=1'), list)).toBe(true);
    expect(shouldPropagate(url('http://localhost:8787/api#f'), list)).toBe(true);
    expect(shouldPropagate(url('http://localhost:8787/apikeys'), list)).toBe(false);
    expect(shouldPropagate(url('http://localhost:8787/api-admin/x'), list)).toBe(false);
    expect(shouldPropagate(url('http://localhost:8787/v1/chat'), list)).toBe(true);
    expect(shouldPropagate(url('http://localhost:8787/v10/chat'), list)).toBe(false);
  });

  it('treats ws(s) URLs and entries as their http(s) twins', () => {
    expect(shouldPropagate(url('ws://localhost:8787/api/chat/ws'), ['http://localhost:8787'])).toBe(true);
    expect(shouldPropagate(url('http://localhost:8787/api/chat'), ['ws://localhost:8787'])).toBe(true);
    expect(shouldPropagate(url('wss://localhost:8787/ws'), ['http://localhost:8787'])).toBe(false);
    expect(shouldPropagate(url('ws://127.0.0.1:8787/api/chat/ws?x=1'), ['http://127.0.0.1:8787'])).toBe(true);
    expect(shouldPropagate(url('wss://chat.example.com/api/ws'), ['https://chat.example.com/api'])).toBe(true);
    expect(shouldPropagate(url('wss://chat.example.com/other/ws'), ['https://chat.example.com/api'])).toBe(false);
    expect(shouldPropagate(url('ws://127.0.0.1:8788/ws'), ['http://127.0.0.1:8787'])).toBe(false);
  });

  it('recognises the exporter endpoint', () => {
    expect(isExportUrl(url('http://localhost:4318/v1/traces'), 'http://localhost:4318/v1/traces')).toBe(true);
    expect(isExportUrl(url('http://localhost:4318/v1/logs'), 'http://localhost:4318/v1/traces')).toBe(false);
  });
});

describe('fetch header injection', () => {
  const read = (init: RequestInit | undefined): Headers => new Headers(init?.headers);

  it('adds W3C context, baggage and id headers', () => {
    const init = injectFetchHeaders('http://x/', undefined, values);
    const headers = read(init);
    expect(headers.get('traceparent')).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(headers.get('baggage')).toBe('session.id=sess1,streamtrace.message.id=msg1');
    expect(headers.get('x-session-id')).toBe('sess1');
    expect(headers.get('x-message-id')).toBe('msg1');
  });

  it('never clobbers headers the app set, whatever their shape, and never mutates them', () => {
    const shapes: HeadersInit[] = [
      new Headers({ traceparent: 'app', 'Content-Type': 'application/json' }),
      [['TraceParent', 'app'], ['content-type', 'application/json']],
      { traceparent: 'app', 'content-type': 'application/json' },
    ];
    for (const shape of shapes) {
      const before = JSON.stringify(shape instanceof Headers ? Array.from(shape.entries()) : shape);
      const init = injectFetchHeaders('http://x/', { method: 'POST', headers: shape, body: '{}' }, values);
      const headers = read(init);
      expect(headers.get('traceparent')).toBe('app');
      expect(headers.get('content-type')).toBe('application/json');
      expect(headers.get('x-message-id')).toBe('msg1');
      expect(init?.method).toBe('POST');
      expect(init?.body).toBe('{}');
      expect(JSON.stringify(shape instanceof Headers ? Array.from(shape.entries()) : shape)).toBe(before);
    }
  });

  it('keeps the headers of a Request input', () => {
    const request = new Request('http://x/api', { headers: { 'x-app': '1', baggage: 'app=1' } });
    const init = injectFetchHeaders(request, undefined, values);
    const headers = read(init);
    expect(headers.get('x-app')).toBe('1');
    expect(headers.get('baggage')).toBe('app=1');
    expect(headers.get('traceparent')).toBe(values.traceparent);
  });

  it('keeps init members fetch reads but a spread would drop: class getters, inherited, non-enumerable', async () => {
    class Options {
      headers = { 'x-app': '1' };
      get method(): string {
        return 'POST';
      }
      get body(): string {
        return 'from a getter';
      }
    }
    const inherited = Object.assign(Object.create({ method: 'PUT', body: 'inherited' }) as RequestInit, { headers: { 'x-app': '2' } });
    const hidden: RequestInit = { headers: { 'x-app': '3' } };
    Object.defineProperties(hidden, { method: { value: 'PATCH' }, body: { value: 'not enumerable' } });
    const sent = [
      [new Options(), 'POST', 'from a getter', '1'],
      [inherited, 'PUT', 'inherited', '2'],
      [hidden, 'PATCH', 'not enumerable', '3'],
    ] as const;
    for (const [appInit, method, body, app] of sent) {
      const request = new Request('http://x/api', injectFetchHeaders('http://x/api', appInit as RequestInit, values));
      expect([request.method, await request.text(), request.headers.get('x-app'), request.headers.get('traceparent')]).toEqual([method, body, app, values.traceparent]);
    }
  });

  it('returns the app arguments untouched when every header is already set', () => {
    const all = { traceparent: 'a', baggage: 'b', 'x-session-id': 'c', 'x-message-id': 'd' };
    const init = { headers: all };
    expect(injectFetchHeaders('http://x/', init, values)).toBe(init);
  });
});

describe('URL context parameters', () => {
  it('adds traceparent, session_id and message_id without duplicating existing ones', () => {
    const out = injectUrlParams(url('http://x/sse?message=hi&session_id=mine'), values);
    expect(out.searchParams.getAll('session_id')).toEqual(['mine']);
    expect(out.searchParams.get('traceparent')).toBe(values.traceparent);
    expect(out.searchParams.get('message_id')).toBe('msg1');
    expect(out.searchParams.get('message')).toBe('hi');
    expect(out.searchParams.has('tracestate')).toBe(false);
  });
});

describe('recorded URLs', () => {
  it('drop credentials, redact secret parameters and remove our context parameters', () => {
    const recorded = sanitizeUrl(url('https://user:pw@api.example/chat?q=1&api_key=abc&Token=t&sig=s&traceparent=00-x&session_id=s&message_id=m&password=p'));
    expect(recorded).toBe('https://api.example/chat?q=1&api_key=REDACTED&Token=REDACTED&sig=REDACTED&password=REDACTED');
    expect(recorded).not.toContain('abc');
  });
});

describe('server response context', () => {
  it('reads the server trace id and Server-Timing durations', () => {
    const headers = new Headers({
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01',
      'server-timing': 'gateway;dur=12.5, model;desc="sim";dur=3, bad name;dur=1',
    });
    expect(serverAttributes((n) => headers.get(n))).toEqual({
      'streamtrace.server.trace_id': '0af7651916cd43dd8448eb211c80319c',
      'streamtrace.server.span_id': '00f067aa0ba902b7',
      'streamtrace.server_timing.gateway_ms': 12.5,
      'streamtrace.server_timing.model_ms': 3,
    });
    expect(serverAttributes((n) => (n === 'x-trace-id' ? 'ABCDEF0123456789abcdef0123456789' : null))).toEqual({
      'streamtrace.server.trace_id': 'abcdef0123456789abcdef0123456789',
    });
  });
});

describe('no-cors requests', () => {
  it('get no headers (the browser would reject the request)', () => {
    const init: RequestInit = { mode: 'no-cors' };
    expect(injectFetchHeaders('http://x/', init, values)).toBe(init);
  });
});
