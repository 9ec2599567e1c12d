import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startCollector } from './start.js';
import { hexId, otlpJson } from './fixtures.test-helpers.js';
import { mutate, prng } from './fuzz.test-helpers.js';
import type { RunningCollector } from './start.js';

interface Encoder {
  fromObject(value: unknown): object;
  encode(message: object): { finish(): Uint8Array };
}
const generated = createRequire(import.meta.url)('@opentelemetry/otlp-proto-decoder/build/esm/generated/root.js') as {
  opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: Encoder } } } } };
};
const TraceRequest = generated.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

function validProtobuf(): Buffer {
  const traceId = Buffer.from(hexId(16), 'hex');
  const message = TraceRequest.fromObject({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'fuzz' } }] },
        scopeSpans: [
          {
            scope: { name: 'fuzz' },
            spans: Array.from({ length: 5 }, (_, i) => ({
              traceId,
              spanId: Buffer.from(hexId(8), 'hex'),
              name: `span-${i}`,
              startTimeUnixNano: '1700000000000000000',
              endTimeUnixNano: '1700000000100000000',
              attributes: [{ key: 'k', value: { arrayValue: { values: [{ intValue: 7 }, { kvlistValue: { values: [{ key: 'x', value: { doubleValue: 1.5 } }] } }] } } }],
              events: [{ name: 'e', timeUnixNano: '1700000000000000001' }],
            })),
          },
        ],
      },
    ],
  });
  return Buffer.from(TraceRequest.encode(message).finish());
}

interface FuzzCase {
  contentType: string;
  body: Buffer;
  gzip?: boolean;
  path?: string;
}

function* cases(count: number, random: () => number): Generator<FuzzCase> {
  const proto = validProtobuf();
  const json = otlpJson('fuzz', [
    { traceId: hexId(16), name: 'a', attributes: { s: 'v', n: 3, f: 2.5, b: true } },
    { traceId: hexId(16), parentSpanId: hexId(8), name: 'b', error: true },
  ]);
  for (let i = 0; i < count; i++) {
    const path = random() < 0.15 ? '/v1/logs' : '/v1/traces';
    switch (i % 7) {
      case 0: {
        const bytes = Buffer.alloc(Math.floor(random() * 512));
        for (let b = 0; b < bytes.length; b++) bytes[b] = Math.floor(random() * 256);
        yield { contentType: random() < 0.5 ? 'application/x-protobuf' : 'application/json', body: bytes, path };
        break;
      }
      case 1:
        yield { contentType: 'application/x-protobuf', body: proto.subarray(0, Math.floor(random() * proto.length)), path };
        break;
      case 2: {
        const flipped = Buffer.from(proto);
        for (let f = 0; f < 3; f++) flipped[Math.floor(random() * flipped.length)] = Math.floor(random() * 256);
        yield { contentType: 'application/x-protobuf', body: flipped, path };
        break;
      }
      case 3:
      case 4:
        yield { contentType: 'application/json', body: Buffer.from(JSON.stringify(mutate(json, random)) ?? 'null'), path };
        break;
      case 5: {
        const text = JSON.stringify(json);
        yield { contentType: 'application/json', body: Buffer.from(text.slice(0, Math.floor(random() * text.length))), gzip: random() < 0.3, path };
        break;
      }
      default: {
        const kinds = [
          () => Buffer.from(JSON.stringify(otlpJson('fuzz', [{ traceId: hexId(16), name: 'x'.repeat(200_000 + Math.floor(random() * 100_000)) }]))),
          () => Buffer.from(`${'['.repeat(50_000)}${']'.repeat(50_000)}`),
          () => Buffer.from(`{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"${hexId(16)}","spanId":"${hexId(8)}","attributes":[{"key":"deep","value":${'{"arrayValue":{"values":['.repeat(2000)}${']}}'.repeat(2000)}}]}]}]}]}`),
          () => Buffer.from('{"resourceSpans":{"length":1e9}}'),
          () => Buffer.from('"just a string"'),
          () => Buffer.from('{"__proto__":{"polluted":true},"resourceSpans":[]}'),
        ];
        const make = kinds[Math.floor(random() * kinds.length)] as () => Buffer;
        yield { contentType: 'application/json', body: make(), path };
      }
    }
  }
}

let collector: RunningCollector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

describe('fuzzing the ingest endpoints', () => {
  it('answers thousands of malformed bodies with 4xx or 200 — never 5xx — and keeps serving', async () => {
    collector = await startCollector({ port: 0, maxSpans: 2000, maxBodyBytes: 1024 * 1024 });
    const random = prng(20261126);
    const statuses = new Map<number, number>();
    const queue = cases(2000, random);
    const worker = async (): Promise<void> => {
      for (let next = queue.next(); !next.done; next = queue.next()) {
        const { contentType, body, gzip, path } = next.value;
        const res = await fetch(`${(collector as RunningCollector).url}${path ?? '/v1/traces'}`, {
          method: 'POST',
          headers: { 'content-type': contentType, ...(gzip ? { 'content-encoding': 'gzip' } : {}) },
          body: gzip ? gzipSync(body) : body,
        });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 200 && contentType === 'application/x-protobuf') {
          // OTLP answers a protobuf request with a protobuf ExportTraceServiceResponse.
          expect(res.headers.get('content-type')).toBe('application/x-protobuf');
          await res.arrayBuffer();
          continue;
        }
        const answer = (await res.json()) as Record<string, unknown>;
        if (res.status >= 400) expect(typeof answer.error).toBe('string');
        else expect(answer).toHaveProperty('partialSuccess');
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));

    const seen = [...statuses.keys()].sort();
    expect(seen.every((status) => status === 200 || status === 400 || status === 413)).toBe(true);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(1000);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    const health = await fetch(`${collector.url}/api/health`);
    expect(health.status).toBe(200);
    const stats = (await health.json()) as { ok: boolean; spans: number; maxSpans: number };
    expect(stats.ok).toBe(true);
    expect(stats.spans).toBeLessThanOrEqual(stats.maxSpans);

    // Every stored trace still serializes and is served.
    const list = (await (await fetch(`${collector.url}/api/traces?limit=1000`)).json()) as { traces: Array<{ traceId: string }> };
    for (const { traceId } of list.traces.slice(0, 50)) {
      expect((await fetch(`${collector.url}/api/v3/traces/${traceId}`)).status).toBe(200);
    }
    // A generous cap, not a speed target: the machine's cores are shared.
  }, 120_000);
});
