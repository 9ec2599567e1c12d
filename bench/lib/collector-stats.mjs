// Small statistics helpers for the collector bench (nearest-rank percentiles, formatting).
import { median } from './table.mjs';

export { median };

/** Nearest-rank percentile (always one of the measured values). */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const ms = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
export const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
export const kib = (bytes) => (bytes >= 1024 * 1024 ? mib(bytes) : `${(bytes / 1024).toFixed(1)} KiB`);
export const int = (x) => Math.round(x).toLocaleString('en-US');
export const range = (values, fmt) => `${fmt(median(values))} (${fmt(Math.min(...values))}–${fmt(Math.max(...values))})`;
