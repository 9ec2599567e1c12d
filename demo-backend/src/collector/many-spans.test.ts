import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { heapAfterGcMiB } from './gc.test-helpers.js';
import { startCollector } from './start.js';
import type { RunningCollector } from './start.js';

interface GeneratedRequest {
  fromObject(object: Record<string, unknown>): object;
  encode(message: object): { finish(): Uint8Array };
}
// The official generated opentelemetry-proto code (the collector decodes with it; it encodes too).
const generated = createRequire(import.meta.url)('@opentelemetry/otlp-proto-decoder/build/esm/generated/root.js') as {
  opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: GeneratedRequest } } } } };
};
const ExportTraceServiceRequest = generated.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

const MiB = 1024 * 1024;
const SPANS = 100_000;
const SPANS_PER_TRACE = 10;

/** One protobuf ExportTraceServiceRequest with SPANS spans in SPANS / SPANS_PER_TRACE traces. */
function hundredThousandSpans(): Buffer {
  const start = 1_764_182_400_000_000_000;
  const spans = Array.from({ length: SPANS }, (_, i) => {
    const trace = Math.floor(i / SPANS_PER_TRACE);
    const traceId = Buffer.alloc(16);
    traceId.writeUInt32BE(trace + 1, 12);
    const spanId = Buffer.alloc(8);
    spanId.writeUInt32BE(i + 1, 4);
    return {
      traceId,
      spanId,
      name: i % SPANS_PER_TRACE === 0 ? 'chat.message' : 'chunk.render',
      kind: 1,
      startTimeUnixNano: start + i * 1000,
      endTimeUnixNano: start + i * 1000 + 500,
      attributes: [{ key: 'session.id', value: { stringValue: `s-${trace % 100}` } }],
    };
  });
  const request = ExportTraceServiceRequest.fromObject({
    resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'load' } }] }, scopeSpans: [{ scope: { name: 'load' }, spans }] }],
  });
  return Buffer.from(ExportTraceServiceRequest.encode(request).finish());
}

function post(url: string, body: Buffer): Promise<Response> {
  return fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body });
}

describe('100,000 spans in one request', () => {
  let collector: RunningCollector | undefined;
  afterEach(async () => {
    await collector?.close();
    collector = undefined;
  });

  it('is refused with 413 under the default 4 MiB body limit, storing nothing', async () => {
    collector = await startCollector({ port: 0 });
    const body = hundredThousandSpans();
    expect(body.length).toBeGreaterThan(4 * MiB);
    const res = await post(collector.url, body);
    expect(res.status).toBe(413);
    expect(collector.store.spans.stats().spans).toBe(0);
  });

  it('with a 64 MiB limit and maxSpans 20,000: accepted, bounded store, eviction counted, bounded heap', async () => {
    collector = await startCollector({ port: 0, maxBodyBytes: 64 * MiB, maxSpans: 20_000 });
    // A Buffer lives outside the JS heap: holding it does not count against the heap bound.
    const body = hundredThousandSpans();
    const heapBefore = heapAfterGcMiB();
    const started = performance.now();
    const res = await post(collector.url, body);
    await res.arrayBuffer();
    const ingestMs = performance.now() - started;
    const status = res.status;
    expect(status).toBe(200);

    const health = (await (await fetch(`${collector.url}/api/health`)).json()) as Record<string, number>;
    expect(health.spans).toBeLessThanOrEqual(20_000);
    expect(health.spans).toBeGreaterThan(0);
    expect(health.evictedSpans).toBe(SPANS - health.spans!);
    expect(health.evictedTraces).toBe((SPANS - health.spans!) / SPANS_PER_TRACE);
    // The newest traces are the ones kept, whole.
    const last = Buffer.alloc(16);
    last.writeUInt32BE(SPANS / SPANS_PER_TRACE, 12);
    const newest = await (await fetch(`${collector.url}/api/traces/${last.toString('hex')}`)).json() as { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] };
    expect(newest.resourceSpans[0]?.scopeSpans[0]?.spans).toHaveLength(SPANS_PER_TRACE);

    const heapAfter = heapAfterGcMiB();
    const process_ = process.memoryUsage();
    console.info(
      `[many-spans] ingest of ${SPANS} spans (${(body.length / MiB).toFixed(1)} MiB protobuf): ${Math.round(ingestMs)} ms; ` +
        `heap after GC ${heapBefore.toFixed(1)} → ${heapAfter.toFixed(1)} MiB (+${(heapAfter - heapBefore).toFixed(1)}), rss ${(process_.rss / MiB).toFixed(0)} MiB`,
    );
    expect(heapAfter).toBeLessThan(300);
    expect(heapAfter - heapBefore).toBeLessThan(150);
  });
});
