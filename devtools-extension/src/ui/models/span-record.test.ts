import { describe, expect, it } from 'vitest';
import { formatAttr, nanosToMs, spanRecordsFrom } from './span-record';

describe('span records', () => {
  it('reads nanosecond times from decimal strings, numbers and long bits without losing microseconds', () => {
    expect(nanosToMs('1700000000123456789')).toBe(1700000000123.456);
    expect(nanosToMs(1_000_000)).toBe(1);
    expect(nanosToMs('999')).toBe(0);
    expect(nanosToMs('1500000')).toBe(1.5);
    expect(nanosToMs('1764182401500999999')).toBe(1764182401500.999);
    // Beyond 21 digits (not a real epoch time) still reads like the exact BigInt division.
    expect(nanosToMs('12345678901234567890123')).toBe(Number(12345678901234567890123n / 1000n) / 1000);
    const value = 1700000000123456000n;
    expect(nanosToMs({ low: Number(value & 0xffffffffn), high: Number(value >> 32n) })).toBe(1700000000123.456);
  });

  it('flattens attributes of every OTLP value type', () => {
    const [span] = spanRecordsFrom([{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
      scopeSpans: [{ spans: [{
        traceId: 'A'.repeat(32), spanId: 'B'.repeat(16), parentSpanId: '0000000000000000',
        attributes: [
          { key: 'i', value: { intValue: '42' } },
          { key: 'b', value: { boolValue: false } },
          { key: 'a', value: { arrayValue: { values: [{ stringValue: 'x' }, { doubleValue: 1.5 }] } } },
          { key: 'k', value: { kvlistValue: { values: [{ key: 'n', value: { intValue: 1 } }] } } },
        ],
      }] }],
    }]);
    expect(span?.traceId).toBe('a'.repeat(32));
    expect(span?.parentSpanId).toBeUndefined();
    expect(span?.serviceName).toBe('svc');
    expect(span?.attributes).toEqual({ i: 42, b: false, a: ['x', 1.5], k: { n: 1 } });
    expect(formatAttr(span!.attributes.a!)).toBe('["x",1.5]');
  });
});
