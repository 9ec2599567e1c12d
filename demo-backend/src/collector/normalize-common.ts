import type { AnyValue, InstrumentationScope, KeyValue, Resource } from './otlp-types.js';

/** A body whose structure is not OTLP: the whole request is refused with 400. */
export class ShapeError extends Error {
  override name = 'ShapeError';
}

/** How ids arrive: OTLP JSON carries hex; protobuf decoded by protobufjs gives base64. */
export type IdEncoding = 'hex' | 'base64';

// Deeply nested AnyValues would otherwise let one request exhaust the stack.
const MAX_VALUE_DEPTH = 16;
/** Longer string values are cut to this many UTF-16 units, so one attribute cannot hold megabytes. */
export const MAX_STRING_VALUE_CHARS = 64 * 1024;
const HEX = /^[0-9a-f]*$/;
const DIGITS = /^\d{1,20}$/;
const INTEGER = /^-?\d{1,20}$/;
const MAX_UINT64 = 18446744073709551615n;
const BASE64_LENGTH: Record<number, number> = { 16: 24, 8: 12 };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function expectRecord(value: unknown, where: string): Record<string, unknown> {
  if (!isRecord(value)) throw new ShapeError(`${where} must be an object`);
  return value;
}

/** A repeated field: absent or null means empty. */
export function expectArray(value: unknown, where: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ShapeError(`${where} must be an array`);
  return value;
}

export function optionalString(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ShapeError(`${where} must be a string`);
  return value;
}

export function optionalUint32(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new ShapeError(`${where} must be an unsigned 32-bit integer`);
  }
  return value;
}

/**
 * Returns the id as lower-case hex when it has `bytes` bytes and is not all zero; `undefined`
 * for a missing/empty id; `null` for an invalid one (the caller drops the record).
 */
export function normalizeId(value: unknown, bytes: number, encoding: IdEncoding): string | undefined | null {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return null;
  let hex: string;
  if (encoding === 'hex' && value.length !== BASE64_LENGTH[bytes]) {
    hex = value.toLowerCase();
  } else {
    // Protobuf bytes, or base64 ids in JSON (sent by some older OTLP JSON exporters).
    if (value.length > bytes * 2 || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return null;
    hex = Buffer.from(value, 'base64').toString('hex');
  }
  if (hex.length !== bytes * 2 || !HEX.test(hex) || /^0+$/.test(hex)) return null;
  return hex;
}

/** Nanosecond timestamp as a decimal string; `null` when it is not an unsigned 64-bit integer. */
export function normalizeNanos(value: unknown): string | null {
  if (value === undefined || value === null) return '0';
  // JSON numbers above 2^53 have already lost precision in JSON.parse; keep what is left.
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 0 && value < 2 ** 64 ? BigInt(value).toString() : null;
  }
  if (typeof value !== 'string' || !DIGITS.test(value)) return null;
  const big = BigInt(value);
  return big <= MAX_UINT64 ? big.toString() : null;
}

export function normalizeDouble(value: unknown, where: string): number | string {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw new ShapeError(`${where}.doubleValue must be a number`);
}

export function normalizeInt(value: unknown, where: string): string {
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2 ** 63) return BigInt(value).toString();
  if (typeof value === 'string' && INTEGER.test(value)) {
    const big = BigInt(value);
    if (big >= -(2n ** 63n) && big < 2n ** 63n) return big.toString();
  }
  throw new ShapeError(`${where}.intValue must be a 64-bit integer`);
}

/** Counts string values cut to MAX_STRING_VALUE_CHARS while normalizing one record. */
export interface TruncationCount {
  values: number;
}

/** The string cut to MAX_STRING_VALUE_CHARS (counted in `truncated` when cut). */
export function boundedString(value: string, truncated: TruncationCount | undefined): string {
  if (value.length <= MAX_STRING_VALUE_CHARS) return value;
  if (truncated) truncated.values++;
  const high = value.charCodeAt(MAX_STRING_VALUE_CHARS - 1);
  const cut = value.slice(0, high >= 0xd800 && high <= 0xdbff ? MAX_STRING_VALUE_CHARS - 1 : MAX_STRING_VALUE_CHARS);
  // slice() keeps a reference to the whole original string in V8; copy so the megabytes can go.
  return Buffer.from(cut, 'utf8').toString('utf8');
}

export function normalizeAnyValue(value: unknown, where: string, depth = 0, truncated?: TruncationCount): AnyValue {
  if (depth > MAX_VALUE_DEPTH) throw new ShapeError(`${where} is nested too deeply`);
  const input = expectRecord(value, where);
  if (input.stringValue !== undefined && input.stringValue !== null) {
    return { stringValue: boundedString(optionalString(input.stringValue, `${where}.stringValue`) ?? '', truncated) };
  }
  if (input.boolValue !== undefined && input.boolValue !== null) {
    if (typeof input.boolValue !== 'boolean') throw new ShapeError(`${where}.boolValue must be a boolean`);
    return { boolValue: input.boolValue };
  }
  if (input.intValue !== undefined && input.intValue !== null) {
    return { intValue: normalizeInt(input.intValue, where) };
  }
  if (input.doubleValue !== undefined && input.doubleValue !== null) {
    return { doubleValue: normalizeDouble(input.doubleValue, where) };
  }
  if (input.bytesValue !== undefined && input.bytesValue !== null) {
    return { bytesValue: optionalString(input.bytesValue, `${where}.bytesValue`) ?? '' };
  }
  if (input.arrayValue !== undefined && input.arrayValue !== null) {
    const array = expectRecord(input.arrayValue, `${where}.arrayValue`);
    const values = expectArray(array.values, `${where}.arrayValue.values`);
    return { arrayValue: { values: values.map((v, i) => normalizeAnyValue(v, `${where}.arrayValue.values[${i}]`, depth + 1, truncated)) } };
  }
  if (input.kvlistValue !== undefined && input.kvlistValue !== null) {
    const list = expectRecord(input.kvlistValue, `${where}.kvlistValue`);
    return { kvlistValue: { values: normalizeAttributes(list.values, `${where}.kvlistValue.values`, depth + 1, truncated) } };
  }
  return {};
}

export function normalizeAttributes(value: unknown, where: string, depth = 0, truncated?: TruncationCount): KeyValue[] {
  return expectArray(value, where).map((item, i) => {
    const kv = expectRecord(item, `${where}[${i}]`);
    if (typeof kv.key !== 'string') throw new ShapeError(`${where}[${i}].key must be a string`);
    const attrValue = kv.value === undefined || kv.value === null ? {} : normalizeAnyValue(kv.value, `${where}[${i}].value`, depth, truncated);
    return { key: kv.key, value: attrValue };
  });
}

export function normalizeResource(value: unknown, where: string): Resource {
  if (value === undefined || value === null) return { attributes: [] };
  const input = expectRecord(value, where);
  const resource: Resource = { attributes: normalizeAttributes(input.attributes, `${where}.attributes`) };
  const dropped = optionalUint32(input.droppedAttributesCount, `${where}.droppedAttributesCount`);
  if (dropped) resource.droppedAttributesCount = dropped;
  return resource;
}

export function normalizeScope(value: unknown, where: string): InstrumentationScope {
  if (value === undefined || value === null) return { name: '' };
  const input = expectRecord(value, where);
  const scope: InstrumentationScope = { name: optionalString(input.name, `${where}.name`) ?? '' };
  const version = optionalString(input.version, `${where}.version`);
  if (version) scope.version = version;
  const attributes = normalizeAttributes(input.attributes, `${where}.attributes`);
  if (attributes.length > 0) scope.attributes = attributes;
  return scope;
}

/** OTLP JSON requires integer enums; names such as `SPAN_KIND_SERVER` are accepted too. */
export function normalizeEnum(value: unknown, names: readonly string[], where: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < names.length) return value;
  if (typeof value === 'string') {
    const index = names.indexOf(value);
    if (index >= 0) return index;
  }
  throw new ShapeError(`${where} is not a valid enum value`);
}

/** The value of a string attribute, if present. */
export function stringAttribute(attributes: readonly KeyValue[] | undefined, key: string): string | undefined {
  const found = attributes?.find((kv) => kv.key === key);
  return found?.value.stringValue;
}
