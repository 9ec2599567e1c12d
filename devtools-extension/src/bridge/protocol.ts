import type { ChunkPoint, ChunkSeries, OtlpResourceSpans } from './otlp-types';

// Page <-> DevTools protocol version 1 (docs/architecture.md). Everything from the page is
// untrusted: shapes are checked, sizes bounded, nothing is ever evaluated.

export const PROTOCOL_VERSION = 1;
export const SDK_SOURCE = 'streamtrace-sdk';
export const DEVTOOLS_SOURCE = 'streamtrace-devtools';

/**
 * A single page message larger than this is dropped (protects the worker and the 10 MB of
 * session storage). The SDK batches spans every 50 ms, so real batches stay far below it.
 */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Chunks per message; the SDK keeps far fewer per stream. */
export const MAX_CHUNKS = 20_000;

export type PageMessage =
  | { source: typeof SDK_SOURCE; version: 1; type: 'spans'; payload: { resourceSpans: OtlpResourceSpans[] } }
  | { source: typeof SDK_SOURCE; version: 1; type: 'chunks'; payload: ChunkSeries };

export const HELLO = { source: DEVTOOLS_SOURCE, version: PROTOCOL_VERSION, type: 'hello' } as const;

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** The SDK's start-up announcement (no payload is read): the content script answers with HELLO. */
export function isSdkReady(data: unknown): boolean {
  return isObject(data) && data.source === SDK_SOURCE && data.version === PROTOCOL_VERSION && data.type === 'ready';
}

function validChunk(raw: unknown): ChunkPoint | undefined {
  if (!isObject(raw) || !isFiniteNumber(raw.index) || !isFiniteNumber(raw.bytes) || !isFiniteNumber(raw.arrivalMs)) return undefined;
  const chunk: ChunkPoint = { index: raw.index, bytes: raw.bytes, arrivalMs: raw.arrivalMs };
  if (isFiniteNumber(raw.commitMs)) chunk.commitMs = raw.commitMs;
  if (isFiniteNumber(raw.paintMs)) chunk.paintMs = raw.paintMs;
  if (typeof raw.paintSource === 'string') chunk.paintSource = raw.paintSource.slice(0, 64);
  return chunk;
}

function validResourceSpans(raw: unknown): OtlpResourceSpans[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  for (const resource of raw) {
    if (!isObject(resource) || (resource.scopeSpans !== undefined && !Array.isArray(resource.scopeSpans))) return undefined;
    for (const scope of (resource.scopeSpans as unknown[] | undefined) ?? []) {
      if (!isObject(scope) || (scope.spans !== undefined && !Array.isArray(scope.spans))) return undefined;
      for (const span of (scope.spans as unknown[] | undefined) ?? []) {
        if (!isObject(span) || typeof span.traceId !== 'string' || typeof span.spanId !== 'string') return undefined;
      }
    }
  }
  return raw as OtlpResourceSpans[];
}

/**
 * Returns a clean copy of a protocol-v1 SDK message, or undefined for anything else (other
 * sources, versions, types, malformed or oversized payloads). `approxBytes` lets the caller pass a
 * size it already measured.
 */
export function validatePageMessage(data: unknown, approxBytes?: number): PageMessage | undefined {
  if (!isObject(data) || data.source !== SDK_SOURCE || data.version !== PROTOCOL_VERSION) return undefined;
  if (!isObject(data.payload)) return undefined;
  const size = approxBytes ?? safeSize(data.payload);
  if (size === undefined || size > MAX_MESSAGE_BYTES) return undefined;
  if (data.type === 'spans') {
    const resourceSpans = validResourceSpans(data.payload.resourceSpans);
    if (!resourceSpans) return undefined;
    // Round-trip through JSON: drops functions, prototypes and anything else not plain data.
    return { source: SDK_SOURCE, version: 1, type: 'spans', payload: { resourceSpans: JSON.parse(JSON.stringify(resourceSpans)) } };
  }
  if (data.type === 'chunks') {
    const { traceId, spanId, chunks } = data.payload;
    if (typeof traceId !== 'string' || !HEX32.test(traceId) || typeof spanId !== 'string' || !HEX16.test(spanId)) return undefined;
    if (!Array.isArray(chunks) || chunks.length > MAX_CHUNKS) return undefined;
    const clean: ChunkPoint[] = [];
    for (const raw of chunks) {
      const chunk = validChunk(raw);
      if (!chunk) return undefined;
      clean.push(chunk);
    }
    return { source: SDK_SOURCE, version: 1, type: 'chunks', payload: { traceId, spanId, chunks: clean } };
  }
  return undefined;
}

function safeSize(value: unknown): number | undefined {
  try {
    return JSON.stringify(value)?.length;
  } catch {
    return undefined;
  }
}
