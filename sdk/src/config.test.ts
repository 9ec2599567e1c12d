import { describe, expect, it } from 'vitest';
import { resolveConfig } from './config.js';

describe('options', () => {
  it('fall back to defaults on missing or invalid values instead of throwing', () => {
    const config = resolveConfig({ sampleRate: Number.NaN, stallThresholdMs: -5, sessionStorage: 'bogus' as never, maxChunkEvents: 1e9 });
    expect(config.sampleRate).toBe(1);
    expect(config.stallThresholdMs).toBe(1);
    expect(config.storage).toBe('session');
    expect(config.maxChunkEvents).toBe(1000);
    expect(resolveConfig({ sampleRate: 3 }).sampleRate).toBe(1);
    expect(resolveConfig().sessionInactivityMs).toBe(30 * 60_000);
    expect(resolveConfig().sessionMaxAgeMs).toBe(4 * 3_600_000);
  });

  it('bound the export queue and ignore a redactAttribute that is not a function', () => {
    expect(resolveConfig()).toMatchObject({ maxQueueSize: 2048, exportTimeoutMillis: 30_000, redactAttribute: undefined });
    const config = resolveConfig({ maxQueueSize: 0, exportTimeoutMillis: Number.POSITIVE_INFINITY, redactAttribute: 'no' as never });
    expect(config).toMatchObject({ maxQueueSize: 1, exportTimeoutMillis: 30_000, redactAttribute: undefined });
  });
});
