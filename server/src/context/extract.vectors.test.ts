import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractRequestContext } from './extract.js';
import type { RequestContext } from './extract.js';

interface Vector {
  headers: [string, string][];
  is_traceparent_valid: boolean;
}
// Read as a file: the composite tsconfig only lists .ts sources.
const vectors = JSON.parse(readFileSync(new URL('./testdata/w3c-trace-context-vectors.json', import.meta.url), 'utf8')) as Vector[];
const cases = vectors.map((vector, index) => ({ index, ...vector }));

// What the W3C test suite expects of tracestate for the vectors that carry one (index → kept value;
// `undefined` = discarded). Vectors not listed carry no tracestate.
const TRACESTATE: Record<number, string | undefined> = {
  43: undefined, 44: undefined, 45: undefined, 46: undefined, 47: undefined,
  48: 'foo=1', 49: 'foo=1', 52: 'foo=1', 53: 'foo=1', 54: 'foo=1', 55: 'foo=1,bar=2',
  58: undefined, 59: undefined, 60: undefined, 61: undefined, 62: undefined, 63: undefined, 64: undefined,
  65: `foo=1,${'z'.repeat(256)}=1`, 66: undefined, 67: `foo=1,${'t'.repeat(241)}@${'v'.repeat(14)}=1`,
  68: undefined, 69: undefined, 71: undefined, 72: 'foo=1,bar=2,rojo=1,congo=2,baz=3',
  73: 'foo=1,bar=2,baz=3', 74: 'foo=1,bar=2,baz=3', 75: 'foo=1', 76: 'foo=1', 77: 'foo=1', 78: 'foo=1',
  79: 'foo=1', 80: undefined, 81: undefined,
};

function expectOutcome(vector: Vector & { index: number }, result: RequestContext, source: RequestContext['source']): void {
  const parent = trace.getSpanContext(result.context);
  const tp = vector.headers.find(([name]) => name.toLowerCase() === 'traceparent')?.[1];
  if (!vector.is_traceparent_valid) {
    expect(result.source).toBe('none');
    expect(parent).toBeUndefined();
    return;
  }
  expect(result.source).toBe(source);
  expect(parent?.traceId).toBe(tp?.slice(3, 35));
  expect(parent?.spanId).toBe(tp?.slice(36, 52));
  expect(parent?.isRemote).toBe(true);
  const state = parent?.traceState?.serialize();
  if (vector.index in TRACESTATE) expect(state || undefined).toBe(TRACESTATE[vector.index]);
  else if (vector.index === 41 || vector.index === 42) expect(state).toBe(vector.headers[1]?.[1]);
  else if (vector.index === 70) expect(state?.split(',')).toHaveLength(32);
  else expect(state || undefined).toBeUndefined();
}

describe('W3C trace context vectors via real HTTP headers', () => {
  const seen = new Map<string, RequestContext>();
  const server = createServer((req, res) => {
    seen.set(String(req.headers['x-case']), extractRequestContext(req));
    res.writeHead(204).end();
  });
  let port = 0;
  beforeAll(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => server.close());

  // Raw bytes on a socket, so repeated and oddly cased headers reach Node's parser as sent.
  async function send(index: number, headers: [string, string][]): Promise<RequestContext | undefined> {
    const lines = headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
    const socket = connect(port, '127.0.0.1');
    socket.end(`GET /chat HTTP/1.1\r\nHost: localhost\r\nx-case: ${index}\r\nConnection: close\r\n${lines}\r\n`);
    socket.resume();
    await once(socket, 'close');
    return seen.get(String(index));
  }

  it.each(cases)('vector $index (valid: $is_traceparent_valid)', async (vector) => {
    const result = await send(vector.index, vector.headers);
    expect(result).toBeDefined();
    expectOutcome(vector, result as RequestContext, 'header');
  });

  it('also refuses repeated traceparent given as an array (headersDistinct style)', () => {
    const value = '00-12345678901234567890123456789012-1234567890123456-01';
    const headers: IncomingHttpHeaders = { traceparent: [value, value] as unknown as string };
    expect(extractRequestContext({ headers }).source).toBe('none');
  });
});

describe('W3C trace context vectors via query parameters', () => {
  it.each(cases)('vector $index (valid: $is_traceparent_valid)', (vector) => {
    const query = vector.headers
      .map(([name, value]) => `${name.toLowerCase()}=${encodeURIComponent(value)}`)
      .join('&');
    const result = extractRequestContext({ headers: {}, url: `/api/chat/stream?message=hi&${query}` });
    expectOutcome(vector, result, 'query');
  });
});

describe('W3C trace context vectors via a WebSocket first frame', () => {
  it.each(cases)('vector $index (valid: $is_traceparent_valid)', (vector) => {
    const frame: Record<string, string | string[]> = { message: 'hi' };
    for (const [name, value] of vector.headers) {
      const key = name.toLowerCase();
      const prior = frame[key];
      frame[key] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
    }
    const result = extractRequestContext({ headers: {}, url: '/api/chat/ws' }, Buffer.from(JSON.stringify(frame)));
    expectOutcome(vector, result, 'frame');
  });
});
