import { describe, expect, it } from 'vitest';
import { countSpans, parseTraceResponse } from './trace-shapes';
import { resourceSpans } from '../testing/otlp-fixtures';

const traceId = '0af7651916cd43dd8448eb211c80319c';
const otlp = [resourceSpans('chat-gateway', [{ traceId, spanId: 'b7ad6b7169203331', name: 'POST /api/chat', kind: 2, startMs: 1000, endMs: 2000 }])];

describe('parseTraceResponse', () => {
  it('reads Jaeger v2 (/api/v3), Tempo OTLP, Tempo batches and Tempo v2 answers', () => {
    for (const body of [{ result: { resourceSpans: otlp } }, { resourceSpans: otlp }, { batches: otlp }, { trace: { resourceSpans: otlp } }]) {
      const parsed = parseTraceResponse(body)!;
      expect(countSpans(parsed)).toBe(1);
      expect(parsed[0]?.scopeSpans?.[0]?.spans?.[0]?.spanId).toBe('b7ad6b7169203331');
    }
  });

  it('converts base64 ids, string kinds and instrumentationLibrarySpans from older Tempo', () => {
    const parsed = parseTraceResponse({
      batches: [{
        resource: { attributes: [] },
        instrumentationLibrarySpans: [{ instrumentationLibrary: { name: 'lib' }, spans: [{ traceId: 'CvdlGRbNQ92ESOshHIAxnA==', spanId: 't61rcWkgMzE=', kind: 'SPAN_KIND_SERVER', name: 'x' }] }],
      }],
    })!;
    const span = parsed[0]!.scopeSpans![0]!.spans![0]!;
    expect(span.traceId).toBe(traceId);
    expect(span.spanId).toBe('b7ad6b7169203331');
    expect(span.kind).toBe(2);
  });

  it('converts legacy Jaeger JSON (µs times, references, tags, logs, processes)', () => {
    const parsed = parseTraceResponse({
      data: [{
        traceID: traceId,
        spans: [
          { traceID: traceId, spanID: '00000000000000aa', operationName: 'root', references: [], startTime: 1_700_000_000_000_000, duration: 5000, tags: [{ key: 'span.kind', type: 'string', value: 'server' }], logs: [], processID: 'p1' },
          {
            traceID: traceId, spanID: '00000000000000bb', operationName: 'child', references: [{ refType: 'CHILD_OF', traceID: traceId, spanID: '00000000000000aa' }],
            startTime: 1_700_000_000_001_000, duration: 1000, tags: [{ key: 'error', type: 'bool', value: true }, { key: 'otel.status_description', type: 'string', value: 'boom' }],
            logs: [{ timestamp: 1_700_000_000_001_500, fields: [{ key: 'event', type: 'string', value: 'stream.delta' }] }], processID: 'p2',
          },
        ],
        processes: { p1: { serviceName: 'chat-gateway', tags: [] }, p2: { serviceName: 'vector-store', tags: [] } },
      }],
    })!;
    expect(parsed.map((r) => r.resource?.attributes?.[0]?.value?.stringValue).sort()).toEqual(['chat-gateway', 'vector-store']);
    const child = parsed.find((r) => r.resource?.attributes?.[0]?.value?.stringValue === 'vector-store')!.scopeSpans![0]!.spans![0]!;
    expect(child.parentSpanId).toBe('00000000000000aa');
    expect(child.startTimeUnixNano).toBe('1700000000001000000');
    expect(child.endTimeUnixNano).toBe('1700000000002000000');
    expect(child.status).toEqual({ code: 2, message: 'boom' });
    expect(child.events?.[0]?.name).toBe('stream.delta');
    const root = parsed.find((r) => r.resource?.attributes?.[0]?.value?.stringValue === 'chat-gateway')!.scopeSpans![0]!.spans![0]!;
    expect(root.kind).toBe(2);
  });

  it('returns undefined for answers it does not know', () => {
    expect(parseTraceResponse({ error: 'nope' })).toBeUndefined();
    expect(parseTraceResponse('<html>')).toBeUndefined();
  });
});
