import type { KeyValue, Span } from './otlp-types.js';

/**
 * A bounded table of short strings that stored spans share. JSON.parse and the protobuf decoder
 * give every attribute key and event name of every span its own copy; with chat traces (dozens of
 * `chunk` events per stream, each with the same six keys) those copies were a quarter of the
 * collector's heap (9.8 → 7.2 KiB per stored span at the default bound, bench/collector.mjs).
 */
export interface StringInterner {
  intern(value: string): string;
  size(): number;
}

export function createInterner(options: { maxEntries?: number; maxLength?: number } = {}): StringInterner {
  const maxEntries = options.maxEntries ?? 10_000;
  const maxLength = options.maxLength ?? 128;
  const table = new Map<string, string>();
  return {
    intern(value) {
      const known = table.get(value);
      if (known !== undefined) return known;
      // Once full, new strings are kept as they are: arbitrary keys cannot grow the table.
      if (value.length <= maxLength && table.size < maxEntries) table.set(value, value);
      return value;
    },
    size: () => table.size,
  };
}

function internKeys(attributes: KeyValue[], interner: StringInterner): void {
  for (const kv of attributes) kv.key = interner.intern(kv.key);
}

/** Replaces the span's name, attribute keys and event names/keys with the interned copies (in place). */
export function internSpan(span: Span, interner: StringInterner): void {
  span.name = interner.intern(span.name);
  internKeys(span.attributes, interner);
  for (const event of span.events) {
    event.name = interner.intern(event.name);
    internKeys(event.attributes, interner);
  }
  for (const link of span.links) internKeys(link.attributes, interner);
}
