import { describe, expect, it } from 'vitest';
import { parseTraceparent } from './traceparent.js';

const TRACE = '12345678901234567890123456789012';
const SPAN = '1234567890123456';

describe('parseTraceparent', () => {
  it('reads the fields of a version-00 value', () => {
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-01`)).toEqual({ traceId: TRACE, spanId: SPAN, traceFlags: 1 });
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-00`)?.traceFlags).toBe(0);
  });

  it('refuses upper-case hex, version ff and all-zero ids', () => {
    expect(parseTraceparent(`00-${TRACE.toUpperCase().replace(/1/g, 'A')}-${SPAN}-01`)).toBeUndefined();
    expect(parseTraceparent(`00-${TRACE}-ABCDEF7890123456-01`)).toBeUndefined();
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-0A`)).toBeUndefined();
    expect(parseTraceparent(`ff-${TRACE}-${SPAN}-01`)).toBeUndefined();
    expect(parseTraceparent(`00-${'0'.repeat(32)}-${SPAN}-01`)).toBeUndefined();
    expect(parseTraceparent(`00-${TRACE}-${'0'.repeat(16)}-01`)).toBeUndefined();
  });

  it('accepts a future version with extra dash-prefixed data but not version 00 with it', () => {
    expect(parseTraceparent(`01-${TRACE}-${SPAN}-01-extra`)?.traceId).toBe(TRACE);
    expect(parseTraceparent(`01-${TRACE}-${SPAN}-01.extra`)).toBeUndefined();
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-01-extra`)).toBeUndefined();
  });

  it('treats repeated values (array or comma-joined) as invalid', () => {
    const value = `00-${TRACE}-${SPAN}-01`;
    expect(parseTraceparent([value])?.spanId).toBe(SPAN);
    expect(parseTraceparent([value, value])).toBeUndefined();
    expect(parseTraceparent(`${value}, ${value}`)).toBeUndefined();
  });

  it('never throws on hostile input', () => {
    for (const input of [undefined, null, 42, {}, [], [1], 'x'.repeat(1_000_000), '\u0000'.repeat(55), Symbol('x')]) {
      expect(parseTraceparent(input)).toBeUndefined();
    }
  });
});
