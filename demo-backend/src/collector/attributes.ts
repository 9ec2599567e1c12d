import type { AnyValue, KeyValue } from './otlp-types.js';

function findValue(attributes: readonly KeyValue[] | undefined, key: string): AnyValue | undefined {
  return attributes?.find((kv) => kv.key === key)?.value;
}

/** A numeric attribute (int or double, as stored) as a finite number; `undefined` otherwise. */
export function numberAttribute(attributes: readonly KeyValue[] | undefined, key: string): number | undefined {
  const value = findValue(attributes, key);
  if (!value) return undefined;
  const raw = value.intValue ?? value.doubleValue;
  if (raw === undefined) return undefined;
  const number = Number(raw);
  return Number.isFinite(number) ? number : undefined;
}

/** A string, bool, int or double attribute as text (label values, export fields); `undefined` otherwise. */
export function scalarAttribute(attributes: readonly KeyValue[] | undefined, key: string): string | undefined {
  const value = findValue(attributes, key);
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return String(value.boolValue);
  if (value.intValue !== undefined) return value.intValue;
  if (value.doubleValue !== undefined) return String(value.doubleValue);
  return undefined;
}
