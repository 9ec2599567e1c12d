import { describe, expect, it } from 'vitest';
import { BULK_PAGE_SPANS, BULK_PAGE_TRACES, pageRanges, sliceResourceSpans } from './collector-http-backfill';
import { resourceSpans, spanIdOf, traceIdOf } from '../testing/otlp-fixtures';

const traces = (spanCounts: number[]) => spanCounts.map((spanCount, i) => ({ traceId: String(i), spanCount }));

describe('bulk backfill pages', () => {
  it('covers the newest-first list from its oldest end, each page at most 100 traces', () => {
    expect(pageRanges(traces(Array.from({ length: 250 }, () => 10)))).toEqual([[150, 100], [50, 100], [0, 50]]);
    expect(pageRanges([])).toEqual([]);
    expect(BULK_PAGE_TRACES).toBe(100);
  });

  it('cuts pages at the span bound and gives a trace larger than it a page of its own', () => {
    // Newest first: a 5,000-span trace, then 300 traces of 13 spans.
    const list = traces([5000, ...Array.from({ length: 300 }, () => 13)]);
    const ranges = pageRanges(list);
    expect(ranges.at(-1)).toEqual([0, 1]);
    expect(ranges.reduce((sum, [, limit]) => sum + limit, 0)).toBe(301);
    for (const [offset, limit] of ranges) {
      const spans = list.slice(offset, offset + limit).reduce((sum, t) => sum + t.spanCount, 0);
      expect(limit === 1 || spans <= BULK_PAGE_SPANS).toBe(true);
      expect(limit).toBeLessThanOrEqual(BULK_PAGE_TRACES);
    }
    expect(pageRanges(traces(Array.from({ length: 100 }, () => 50)))).toEqual([[60, 40], [20, 40], [0, 20]]);
    // Contiguous, oldest range first.
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0] + ranges[i]![1]).toBe(ranges[i - 1]![0]);
  });
});

describe('prefetch slices', () => {
  it('hands spans over in pieces of at most N, in order, each with its resource and scope', () => {
    const group = (service: string, from: number, count: number) =>
      resourceSpans(service, Array.from({ length: count }, (_, i) => ({ traceId: traceIdOf(1), spanId: spanIdOf(from + i), name: `s${from + i}`, startMs: 1, endMs: 2 })));
    const slices = sliceResourceSpans([group('a', 0, 7), group('b', 7, 3)], 4);
    const names = slices.map((slice) => slice.flatMap((r) => r.scopeSpans!.flatMap((s) => s.spans!.map((x) => x.name))));
    expect(names).toEqual([['s0', 's1', 's2', 's3'], ['s4', 's5', 's6', 's7'], ['s8', 's9']]);
    const services = slices[1]!.map((r) => r.resource?.attributes?.[0]?.value?.stringValue);
    expect(services).toEqual(['a', 'b']);
    expect(sliceResourceSpans([], 4)).toEqual([]);
  });
});
