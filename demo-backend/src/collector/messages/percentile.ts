export interface Percentiles {
  count: number;
  p50: number | null;
  p95: number | null;
}

/**
 * Nearest-rank percentile: the smallest observed value with at least p% of the values at or
 * below it (always a real message's value, never an interpolation between two).
 */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: nearestRank(sorted, 50), p95: nearestRank(sorted, 95) };
}
