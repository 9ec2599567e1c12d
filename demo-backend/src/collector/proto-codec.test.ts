import { afterEach, describe, expect, it } from 'vitest';
import { decodeTraces } from './normalize-proto-traces.js';
import { startCollector } from './start.js';
import type { RunningCollector } from './start.js';

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

function field(fieldNumber: number, payload: Buffer): Buffer {
  return Buffer.concat([varint((fieldNumber << 3) | 2), varint(payload.length), payload]);
}

/** ExportTraceServiceRequest with one span whose attribute value nests `depth` arrays deep. */
function nestedRequest(depth: number): Buffer {
  // AnyValue.array_value(ArrayValue.values(...)) nested `depth` times around an empty AnyValue; the
  // prefixes are computed inside out and joined once (repeated concatenation would be quadratic).
  const prefixes: Buffer[] = [];
  let length = 0;
  for (let i = 0; i < depth; i++) {
    const inner = Buffer.concat([varint((1 << 3) | 2), varint(length)]);
    length += inner.length;
    const outer = Buffer.concat([varint((5 << 3) | 2), varint(length)]);
    length += outer.length;
    prefixes.push(inner, outer);
  }
  const value = Buffer.concat(prefixes.reverse());
  const keyValue = Buffer.concat([field(1, Buffer.from('deep')), field(2, value)]);
  const span = Buffer.concat([field(1, Buffer.alloc(16, 0xab)), field(2, Buffer.alloc(8, 0xcd)), field(9, keyValue)]);
  return field(1, field(2, field(2, span))); // request.resource_spans.scope_spans.spans
}

let collector: RunningCollector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

describe('protobuf decoding', () => {
  it('decodes hand-assembled bytes into stored form (ids as hex)', () => {
    const span = decodeTraces(nestedRequest(1)).data.resourceSpans[0]?.scopeSpans[0]?.spans[0];
    expect(span?.traceId).toBe('ab'.repeat(16));
    expect(span?.spanId).toBe('cd'.repeat(8));
    expect(span?.attributes).toEqual([{ key: 'deep', value: { arrayValue: { values: [{}] } } }]);
  });

  it('refuses absurdly nested values with 400 instead of overflowing the stack', async () => {
    collector = await startCollector({ port: 0 });
    for (const depth of [40, 100_000]) {
      const res = await fetch(`${collector.url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: nestedRequest(depth),
      });
      expect(res.status, `depth ${depth}`).toBe(400);
    }
    const ok = await fetch(`${collector.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: nestedRequest(3) });
    expect(ok.status).toBe(200);
    expect((await (await fetch(`${collector.url}/api/health`)).json()) as object).toMatchObject({ spans: 1 });
  });
});
