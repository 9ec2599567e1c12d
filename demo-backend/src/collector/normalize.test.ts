import { describe, expect, it } from 'vitest';
import { ShapeError, normalizeAnyValue, normalizeId, normalizeNanos } from './normalize-common.js';
import { normalizeTraces } from './normalize-traces.js';

describe('OTLP JSON normalization', () => {
  it('turns times into decimal nanosecond strings, including numbers that lost precision', () => {
    expect(normalizeNanos('1764182400000000001')).toBe('1764182400000000001');
    expect(normalizeNanos(1764182400000000000)).toBe('1764182400000000000');
    expect(normalizeNanos(12)).toBe('12');
    expect(normalizeNanos(undefined)).toBe('0');
    for (const bad of [-1, 1.5, '1e9', '-5', '18446744073709551616', 'abc', true, {}, Infinity]) expect(normalizeNanos(bad), String(bad)).toBeNull();
  });

  it('accepts ids as hex of the right length (any case) or base64, never all zero', () => {
    expect(normalizeId('4BF92F3577B34DA6A3CE929D0E0E4736', 16, 'hex')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(normalizeId(Buffer.from('00f067aa0ba902b7', 'hex').toString('base64'), 8, 'hex')).toBe('00f067aa0ba902b7');
    expect(normalizeId('', 8, 'hex')).toBeUndefined();
    for (const bad of ['0'.repeat(32), 'xyz', '4bf92f35', 42, '4bf92f3577b34da6a3ce929d0e0e47360']) expect(normalizeId(bad, 16, 'hex'), String(bad)).toBeNull();
  });

  it('normalizes AnyValues and refuses wrong types', () => {
    expect(normalizeAnyValue({ intValue: 5 }, 'v')).toEqual({ intValue: '5' });
    expect(normalizeAnyValue({ intValue: '-9223372036854775808' }, 'v')).toEqual({ intValue: '-9223372036854775808' });
    expect(normalizeAnyValue({ doubleValue: 'NaN' }, 'v')).toEqual({ doubleValue: 'NaN' });
    expect(normalizeAnyValue({ kvlistValue: { values: [{ key: 'a', value: { boolValue: false } }] } }, 'v')).toEqual({
      kvlistValue: { values: [{ key: 'a', value: { boolValue: false } }] },
    });
    expect(() => normalizeAnyValue({ intValue: '9223372036854775808' }, 'v')).toThrow(ShapeError);
    expect(() => normalizeAnyValue({ boolValue: 'yes' }, 'v')).toThrow(ShapeError);
    expect(() => normalizeAnyValue({ stringValue: 1 }, 'v')).toThrow(ShapeError);
    expect(() => normalizeAnyValue('plain', 'v')).toThrow(ShapeError);
  });

  it('accepts enum names, refuses unknown enums, and keeps only known fields', () => {
    const traceId = 'ab'.repeat(16);
    const result = normalizeTraces(
      { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId, spanId: 'cd'.repeat(8), kind: 'SPAN_KIND_SERVER', status: { code: 'STATUS_CODE_ERROR' }, extra: 'dropped' }] }] }] },
      'hex',
    );
    expect(result.data.resourceSpans[0]?.scopeSpans[0]?.spans[0]).toEqual({
      traceId,
      spanId: 'cd'.repeat(8),
      name: '',
      kind: 2,
      startTimeUnixNano: '0',
      endTimeUnixNano: '0',
      attributes: [],
      events: [],
      links: [],
      status: { code: 2 },
    });
    expect(() => normalizeTraces({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId, spanId: 'cd'.repeat(8), kind: 9 }] }] }] }, 'hex')).toThrow(ShapeError);
  });
});
