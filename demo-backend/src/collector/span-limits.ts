/**
 * Per-span bounds, so one span cannot take unbounded memory in the store (the request body limit
 * alone does not help once it is raised). What is cut is counted in the OTLP `dropped*Count`
 * fields; string values over MAX_STRING_VALUE_CHARS are cut in normalize-common and counted in the
 * TRUNCATED_VALUES_ATTRIBUTE span attribute.
 */
export const MAX_ATTRIBUTES_PER_SPAN = 256;
/** Chunk-timing events are the SDK's selection (about 100 per stream), well within this. */
export const MAX_EVENTS_PER_SPAN = 1000;
export const MAX_LINKS_PER_SPAN = 256;
/** Attributes of each event and link. */
export const MAX_ATTRIBUTES_PER_ITEM = 256;
export const TRUNCATED_VALUES_ATTRIBUTE = 'streamtrace.collector.truncated_values';

/** The first `max` items and how many were left out (a non-array is passed through for the shape check). */
export function firstItems(value: unknown, max: number): { items: unknown; dropped: number } {
  if (!Array.isArray(value) || value.length <= max) return { items: value, dropped: 0 };
  return { items: value.slice(0, max), dropped: value.length - max };
}

/** Adds a cut count to an optional OTLP uint32 dropped count. */
export function addDropped(existing: number | undefined, dropped: number): number | undefined {
  const total = (existing ?? 0) + dropped;
  return total > 0 ? Math.min(total, 0xffffffff) : undefined;
}
