import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { ShapeError } from './normalize-common.js';
import { decodeLogs } from './normalize-proto-logs.js';
import { decodeTraces } from './normalize-proto-traces.js';
import { ProtoError } from './normalize-proto-wire.js';
import { startCollector } from './start.js';
import type { RunningCollector } from './start.js';

// A minimal protobuf writer, so each test states its bytes field by field.
function varint(value: bigint): Buffer {
  const bytes: number[] = [];
  let v = BigInt.asUintN(64, value);
  while (v > 0x7fn) {
    bytes.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  bytes.push(Number(v));
  return Buffer.from(bytes);
}
const tag = (field: number, wire: number): Buffer => varint(BigInt((field << 3) | wire));
const len = (field: number, ...parts: Buffer[]): Buffer => {
  const payload = Buffer.concat(parts);
  return Buffer.concat([tag(field, 2), varint(BigInt(payload.length)), payload]);
};
const str = (field: number, text: string): Buffer => len(field, Buffer.from(text, 'utf8'));
const int = (field: number, value: bigint): Buffer => Buffer.concat([tag(field, 0), varint(value)]);
const fixed64 = (field: number, value: bigint): Buffer => {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(value);
  return Buffer.concat([tag(field, 1), bytes]);
};
const double = (field: number, value: number): Buffer => {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleLE(value);
  return Buffer.concat([tag(field, 1), bytes]);
};

const TRACE_ID = Buffer.alloc(16, 0xab);
const SPAN_ID = Buffer.alloc(8, 0xcd);
/** ExportTraceServiceRequest { resource_spans { scope_spans { spans: [each] } } }. */
const request = (...spans: Buffer[]): Buffer => len(1, len(2, ...spans.map((span) => len(2, span))));
const span = (...fields: Buffer[]): Buffer => Buffer.concat([len(1, TRACE_ID), len(2, SPAN_ID), ...fields]);
/** One span attribute `key` with an AnyValue made of `value`'s fields. */
const attribute = (key: string, ...value: Buffer[]): Buffer => len(9, str(1, key), len(2, ...value));

function onlySpan(bytes: Buffer) {
  const result = decodeTraces(bytes);
  return result.data.resourceSpans[0]?.scopeSpans[0]?.spans[0];
}

describe('decoding OTLP protobuf traces', () => {
  it('keeps 64-bit integers and timestamps exact as decimal strings', () => {
    const decoded = onlySpan(
      request(
        span(
          fixed64(7, 18446744073709551615n),
          fixed64(8, 1_700_000_000_123_456_789n),
          attribute('min', int(3, -(2n ** 63n))),
          attribute('max', int(3, 2n ** 63n - 1n)),
          attribute('minus one', int(3, -1n)),
          attribute('above 2^53', int(3, 2n ** 53n + 1n)),
          attribute('nan', double(4, Number.NaN)),
          attribute('inf', double(4, -Infinity)),
          attribute('half', double(4, 0.5)),
          attribute('bytes', len(7, Buffer.from([1, 2, 255]))),
          attribute('empty'),
        ),
      ),
    );
    expect(decoded?.startTimeUnixNano).toBe('18446744073709551615');
    expect(decoded?.endTimeUnixNano).toBe('1700000000123456789');
    expect(decoded?.attributes).toEqual([
      { key: 'min', value: { intValue: '-9223372036854775808' } },
      { key: 'max', value: { intValue: '9223372036854775807' } },
      { key: 'minus one', value: { intValue: '-1' } },
      { key: 'above 2^53', value: { intValue: '9007199254740993' } },
      { key: 'nan', value: { doubleValue: 'NaN' } },
      { key: 'inf', value: { doubleValue: '-Infinity' } },
      { key: 'half', value: { doubleValue: 0.5 } },
      { key: 'bytes', value: { bytesValue: 'AQL/' } },
      { key: 'empty', value: {} },
    ]);
  });

  it('drops spans with missing, short or all-zero ids and counts them', () => {
    const result = decodeTraces(
      request(
        span(str(5, 'kept')),
        Buffer.concat([len(2, SPAN_ID), str(5, 'no trace id')]),
        Buffer.concat([len(1, Buffer.alloc(15, 1)), len(2, SPAN_ID)]),
        Buffer.concat([len(1, Buffer.alloc(16)), len(2, SPAN_ID)]),
        span(len(4, Buffer.alloc(8))),
      ),
    );
    expect(result.accepted).toBe(1);
    expect(result.rejected).toBe(4);
    expect(result.data.resourceSpans[0]?.scopeSpans[0]?.spans.map((s) => s.name)).toEqual(['kept']);
  });

  it('skips unknown fields of every wire type, groups included', () => {
    const group = Buffer.concat([tag(99, 3), int(1, 5n), tag(98, 3), tag(98, 4), tag(99, 4)]);
    const fixed32 = Buffer.concat([tag(97, 5), Buffer.alloc(4)]);
    const decoded = onlySpan(request(span(int(90, 1n), fixed64(91, 2n), str(92, 'x'), group, fixed32, str(5, 'after'))));
    expect(decoded?.name).toBe('after');
  });

  it('refuses malformed bytes with ProtoError, never another error', () => {
    const cases: Record<string, Buffer> = {
      'wrong wire type for name': request(span(int(5, 1n))),
      'wrong wire type for a timestamp': request(span(int(7, 1n))),
      'length past the end': Buffer.concat([tag(1, 2), varint(2n ** 31n - 1n), Buffer.alloc(10)]),
      'length larger than 32 bits': Buffer.concat([tag(1, 2), varint(2n ** 40n), Buffer.alloc(10)]),
      'eleven-byte varint': Buffer.concat([tag(3, 0), Buffer.alloc(10, 0xff), Buffer.from([1])]),
      'truncated varint': Buffer.concat([tag(3, 0), Buffer.from([0x80])]),
      'field number 0': Buffer.from([0x02, 0x00]),
      'wire type 7': Buffer.from([0x0f]),
      'unmatched end-group': tag(5, 4),
      'child overruns its parent': len(1, Buffer.concat([tag(2, 2), varint(50n)]), Buffer.alloc(50)),
      'truncated fixed64': Buffer.concat([tag(9, 1), Buffer.alloc(3)]),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      expect(() => decodeTraces(bytes), name).toThrow(ProtoError);
      expect(() => decodeLogs(bytes), name).toThrow(ProtoError);
    }
  });

  it('never throws anything but ProtoError/ShapeError on any prefix or corruption of a real request', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const tracer = provider.getTracer('t');
    const root = tracer.startSpan('root', { attributes: { a: 'b', n: 3, f: 1.5, list: ['x', 'y'] } });
    root.addEvent('e', { i: 1 });
    root.end();
    const body = Buffer.from(ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans()) ?? []);
    expect(decodeTraces(body).accepted).toBe(1);
    let refused = 0;
    for (let cut = 0; cut < body.length; cut++) {
      try {
        expect(decodeTraces(body.subarray(0, cut)).accepted).toBeLessThanOrEqual(1);
      } catch (error) {
        expect(error instanceof ProtoError || error instanceof ShapeError, String(error)).toBe(true);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(body.length / 2);
    for (let i = 0; i < body.length; i++) {
      for (const flip of [0x01, 0x80, 0xff]) {
        const corrupted = Buffer.from(body);
        corrupted[i] = (corrupted[i] as number) ^ flip;
        try {
          decodeTraces(corrupted);
        } catch (error) {
          expect(error instanceof ProtoError || error instanceof ShapeError, String(error)).toBe(true);
        }
      }
    }
  });

  it('refuses out-of-range enums as JSON does', () => {
    expect(() => decodeTraces(request(span(int(6, 9n))))).toThrow(/kind is not a valid enum value/);
    expect(() => decodeTraces(request(span(len(15, int(3, 3n)))))).toThrow(/status.code is not a valid enum value/);
  });
});

describe('decoding OTLP protobuf logs', () => {
  it('keeps record fields, event name and trace ids; drops records with bad ids', () => {
    const record = (...fields: Buffer[]) => len(2, ...fields);
    const bytes = len(
      1,
      len(1, len(1, str(1, 'service.name'), len(2, str(1, 'gw')))),
      len(
        2,
        len(1, str(1, 'pino')),
        record(fixed64(1, 5n), int(2, 13n), str(3, 'warn'), len(5, str(1, 'slow')), len(9, TRACE_ID), len(10, SPAN_ID), str(12, 'retry')),
        record(len(9, Buffer.alloc(4, 1))),
      ),
    );
    const result = decodeLogs(bytes);
    expect(result.rejected).toBe(1);
    expect(result.data).toEqual({
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'gw' } }] },
          scopeLogs: [
            {
              scope: { name: 'pino' },
              logRecords: [
                {
                  timeUnixNano: '5',
                  observedTimeUnixNano: '0',
                  attributes: [],
                  severityNumber: 13,
                  severityText: 'warn',
                  body: { stringValue: 'slow' },
                  traceId: 'ab'.repeat(16),
                  spanId: 'cd'.repeat(8),
                  eventName: 'retry',
                },
              ],
            },
          ],
        },
      ],
    });
  });
});

let collector: RunningCollector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

describe('protobuf ingest over HTTP', () => {
  it('answers hostile protobuf with 400 and keeps serving', async () => {
    collector = await startCollector({ port: 0 });
    const hostile = [
      Buffer.concat([tag(1, 2), varint(2n ** 31n - 1n)]),
      request(span(int(5, 1n))),
      Buffer.from('{"resourceSpans":[]}'),
      Buffer.alloc(64, 0xff),
    ];
    for (const path of ['/v1/traces', '/v1/logs']) {
      for (const body of hostile) {
        const res = await fetch(`${collector.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body });
        expect(res.status, `${path} ${body.subarray(0, 8).toString('hex')}`).toBe(400);
        expect(((await res.json()) as { error: string }).error).toMatch(/malformed protobuf/);
      }
    }
    const ok = await fetch(`${collector.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: request(span(str(5, 'fine'))) });
    expect(ok.status).toBe(200);
    expect((await (await fetch(`${collector.url}/api/health`)).json()) as object).toMatchObject({ spans: 1 });
  });
});
