import { describe, expect, it } from 'vitest';
import { parseTracestate } from './tracestate.js';

describe('parseTracestate', () => {
  it('normalizes valid members and combines repeated headers in order', () => {
    expect(parseTracestate('foo=1 \t , \t bar=2')).toBe('foo=1,bar=2');
    expect(parseTracestate(['foo=1', '', 'bar=2'])).toBe('foo=1,bar=2');
    expect(parseTracestate('tenant@vendor=x y')).toBe('tenant@vendor=x y');
  });

  it('refuses the whole value on a grammar error, a repeated key or more than 32 members', () => {
    for (const bad of ['FOO=1', 'foo =1', 'foo.bar=1', '@foo=1', 'foo@=1', 'foo=bar=baz', 'foo=', 'foo=1,foo=2', 'foo']) {
      expect(parseTracestate(bad), bad).toBeUndefined();
    }
    const members = (n: number) => Array.from({ length: n }, (_, i) => `k${i}=${i}`).join(',');
    expect(parseTracestate(members(32))).toBe(members(32));
    expect(parseTracestate(members(33))).toBeUndefined();
    expect(parseTracestate(`${'z'.repeat(257)}=1`)).toBeUndefined();
    expect(parseTracestate(`k=${'v'.repeat(257)}`)).toBeUndefined();
  });

  it('returns undefined for empty or non-string input', () => {
    for (const input of ['', ' , ', undefined, 5, {}, [1]]) expect(parseTracestate(input)).toBeUndefined();
  });
});
