import { request } from 'node:http';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startCollector } from './start.js';
import { hexId, otlpJson, postJson } from './fixtures.test-helpers.js';
import type { RunningCollector } from './start.js';
import type { TracesData } from './otlp-types.js';

let collector: RunningCollector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

async function start(options: Parameters<typeof startCollector>[0] = {}): Promise<RunningCollector> {
  collector = await startCollector({ port: 0, panelDir: '/nonexistent', ...options });
  return collector;
}

describe('startCollector ingest and query', () => {
  it('stores OTLP JSON spans and serves them by trace id in Jaeger v2 and Tempo shapes', async () => {
    const c = await start();
    const traceId = hexId(16);
    const root = hexId(8);
    const body = otlpJson('chat-gateway', [
      { traceId, spanId: root, name: 'POST /api/chat', attributes: { 'session.id': 's-1' } },
      { traceId, parentSpanId: root, name: 'chat sim-gpt-1', attributes: { 'gen_ai.usage.output_tokens': 42 } },
    ]);
    const res = await postJson(`${c.url}/v1/traces`, body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ partialSuccess: {} });

    const jaeger = (await (await fetch(`${c.url}/api/v3/traces/${traceId.toUpperCase()}`)).json()) as { result: TracesData };
    const spans = jaeger.result.resourceSpans[0]?.scopeSpans[0]?.spans ?? [];
    expect(spans.map((s) => s.name)).toEqual(['POST /api/chat', 'chat sim-gpt-1']);
    expect(spans[1]?.parentSpanId).toBe(root);
    expect(spans[1]?.attributes).toEqual([{ key: 'gen_ai.usage.output_tokens', value: { intValue: '42' } }]);
    expect(jaeger.result.resourceSpans[0]?.resource.attributes).toEqual([{ key: 'service.name', value: { stringValue: 'chat-gateway' } }]);

    const tempo = (await (await fetch(`${c.url}/api/traces/${traceId}`)).json()) as TracesData;
    expect(tempo).toEqual(jaeger.result);
  });

  it('groups spans of one trace sent in several batches by resource and scope', async () => {
    const c = await start();
    const traceId = hexId(16);
    const root = hexId(8);
    await postJson(`${c.url}/v1/traces`, otlpJson('browser', [{ traceId, spanId: root, name: 'chat.message' }]));
    await postJson(`${c.url}/v1/traces`, otlpJson('chat-gateway', [{ traceId, parentSpanId: root, name: 'a' }]));
    await postJson(`${c.url}/v1/traces`, otlpJson('chat-gateway', [{ traceId, parentSpanId: root, name: 'b' }]));
    const { result } = (await (await fetch(`${c.url}/api/v3/traces/${traceId}`)).json()) as { result: TracesData };
    expect(result.resourceSpans).toHaveLength(2);
    expect(result.resourceSpans[1]?.scopeSpans).toHaveLength(1);
    expect(result.resourceSpans[1]?.scopeSpans[0]?.spans.map((s) => s.name)).toEqual(['a', 'b']);
  });

  it('answers 404 for an unknown trace and 400 for a malformed id', async () => {
    const c = await start();
    expect((await fetch(`${c.url}/api/v3/traces/${hexId(16)}`)).status).toBe(404);
    const bad = await fetch(`${c.url}/api/v3/traces/not-a-trace-id`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toHaveProperty('error');
    expect((await fetch(`${c.url}/api/v3/traces/${'0'.repeat(32)}`)).status).toBe(400);
  });

  it('lists trace summaries newest first with filters', async () => {
    const c = await start();
    const older = hexId(16);
    const newer = hexId(16);
    const olderRoot = hexId(8);
    await postJson(
      `${c.url}/v1/traces`,
      otlpJson('browser', [
        { traceId: older, spanId: olderRoot, name: 'chat.message', startMs: 1000, durationMs: 500, attributes: { 'session.id': 'S1', 'streamtrace.message.id': 'M1' } },
      ]),
    );
    await postJson(`${c.url}/v1/traces`, otlpJson('chat-gateway', [{ traceId: older, parentSpanId: olderRoot, name: 'gw', startMs: 1100, durationMs: 600, error: true }]));
    await postJson(`${c.url}/v1/traces`, otlpJson('browser', [{ traceId: newer, name: 'chat.message', startMs: 5000, attributes: { 'session.id': 'S2' } }]));

    const all = (await (await fetch(`${c.url}/api/traces`)).json()) as { traces: Array<Record<string, unknown>> };
    expect(all.traces.map((t) => t.traceId)).toEqual([newer, older]);
    expect(all.traces[1]).toMatchObject({
      traceId: older,
      rootName: 'chat.message',
      rootService: 'browser',
      services: ['browser', 'chat-gateway'],
      spanCount: 2,
      errorCount: 1,
      startTimeUnixNano: '1000000000',
      durationMs: 700,
      sessionId: 'S1',
      messageId: 'M1',
    });
    const bySession = (await (await fetch(`${c.url}/api/traces?sessionId=S1`)).json()) as { traces: Array<{ traceId: string }> };
    expect(bySession.traces.map((t) => t.traceId)).toEqual([older]);
    const byService = (await (await fetch(`${c.url}/api/traces?service=chat-gateway`)).json()) as { traces: Array<{ traceId: string }> };
    expect(byService.traces.map((t) => t.traceId)).toEqual([older]);
    const byMessage = (await (await fetch(`${c.url}/api/traces?messageId=M1&limit=5`)).json()) as { traces: unknown[] };
    expect(byMessage.traces).toHaveLength(1);
    const limited = (await (await fetch(`${c.url}/api/traces?limit=1`)).json()) as { traces: Array<{ traceId: string }> };
    expect(limited.traces.map((t) => t.traceId)).toEqual([newer]);
    const future = (await (await fetch(`${c.url}/api/traces?since=${Date.now() + 60_000}`)).json()) as { traces: unknown[] };
    expect(future.traces).toEqual([]);
  });

  it('accepts gzip bodies', async () => {
    const c = await start();
    const traceId = hexId(16);
    const res = await fetch(`${c.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify(otlpJson('svc', [{ traceId }]))),
    });
    expect(res.status).toBe(200);
    expect((await fetch(`${c.url}/api/v3/traces/${traceId}`)).status).toBe(200);
  });

  it('refuses garbage with 400, unknown content types with 415 and keeps serving', async () => {
    const c = await start();
    const garbage = await postJson(`${c.url}/v1/traces`, '{"resourceSpans": [');
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toEqual({ error: 'malformed JSON' });
    const wrongShape = await postJson(`${c.url}/v1/traces`, { resourceSpans: [{ scopeSpans: 'nope' }] });
    expect(wrongShape.status).toBe(400);
    const badProto = await fetch(`${c.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]),
    });
    expect(badProto.status).toBe(400);
    const text = await fetch(`${c.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
    expect(text.status).toBe(415);
    const health = await fetch(`${c.url}/api/health`);
    expect(await health.json()).toMatchObject({ ok: true, spans: 0, traces: 0 });
  });

  it('drops spans with invalid ids, counts them and stores the valid ones', async () => {
    const c = await start();
    const traceId = hexId(16);
    const body = otlpJson('svc', [{ traceId, name: 'good' }, { traceId: 'xyz', name: 'bad' }, { traceId, spanId: '00', name: 'short' }]);
    const res = await postJson(`${c.url}/v1/traces`, body);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { partialSuccess: { rejectedSpans?: string } };
    expect(answer.partialSuccess.rejectedSpans).toBe('2');
    const health = (await (await fetch(`${c.url}/api/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ spans: 1, rejectedSpans: 2 });
  });

  it('answers 413 for a body over maxBodyBytes, also when it is streamed without a length', async () => {
    const c = await start({ maxBodyBytes: 1024 });
    const big = JSON.stringify(otlpJson('svc', [{ traceId: hexId(16), name: 'x'.repeat(4000) }]));
    const declared = await postJson(`${c.url}/v1/traces`, big);
    expect(declared.status).toBe(413);
    const chunks = [big.slice(0, 800), big.slice(800)];
    const streamed = await fetch(`${c.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        pull(controller) {
          const next = chunks.shift();
          if (next === undefined) controller.close();
          else controller.enqueue(new TextEncoder().encode(next));
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    const bomb = await fetch(`${c.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(Buffer.alloc(1024 * 1024, 32)),
    });
    expect(bomb.status).toBe(413);
    expect((await fetch(`${c.url}/api/health`)).status).toBe(200);
  });

  it('stores logs beside their trace', async () => {
    const c = await start();
    const traceId = hexId(16);
    const spanId = hexId(8);
    const res = await postJson(`${c.url}/v1/logs`, {
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'chat-gateway' } }] },
          scopeLogs: [
            {
              scope: { name: 'pino' },
              logRecords: [
                { timeUnixNano: '1700000000000000000', severityNumber: 9, severityText: 'info', body: { stringValue: 'hello' }, traceId, spanId },
                { timeUnixNano: '1700000000000000001', body: { stringValue: 'no trace' } },
              ],
            },
          ],
        },
      ],
    });
    expect(res.status).toBe(200);
    const logs = (await (await fetch(`${c.url}/api/logs/${traceId}`)).json()) as { resourceLogs: Array<{ scopeLogs: Array<{ logRecords: unknown[] }> }> };
    expect(logs.resourceLogs[0]?.scopeLogs[0]?.logRecords).toEqual([
      { timeUnixNano: '1700000000000000000', observedTimeUnixNano: '0', severityNumber: 9, severityText: 'info', body: { stringValue: 'hello' }, attributes: [], traceId, spanId },
    ]);
  });

  it('accepts base64 ids in JSON from older exporters and serves them as hex', async () => {
    const c = await start();
    const traceId = hexId(16);
    const spanId = hexId(8);
    const body = otlpJson('svc', [{ traceId, spanId, name: 'old' }]) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }> };
    const span = body.resourceSpans[0]?.scopeSpans[0]?.spans[0] as Record<string, unknown>;
    span.traceId = Buffer.from(traceId, 'hex').toString('base64');
    span.spanId = Buffer.from(spanId, 'hex').toString('base64');
    expect((await postJson(`${c.url}/v1/traces`, body)).status).toBe(200);
    const { result } = (await (await fetch(`${c.url}/api/v3/traces/${traceId}`)).json()) as { result: TracesData };
    expect(result.resourceSpans[0]?.scopeSpans[0]?.spans[0]).toMatchObject({ traceId, spanId });
  });

  it('refuses requests addressed to a non-loopback name while bound to loopback (DNS rebinding)', async () => {
    const c = await start();
    const status = (host: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = request({ hostname: '127.0.0.1', port: c.port, path: '/api/traces', headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await status(`rebound.example:${c.port}`)).toBe(421);
    expect(await status(`localhost:${c.port}`)).toBe(200);
    expect(await status(`[::1]:${c.port}`)).toBe(200);
  });

  it('survives clients that hang up in the middle of a body or send broken HTTP', async () => {
    const c = await start();
    const send = (payload: string, hangUp: boolean): Promise<void> =>
      new Promise((resolve) => {
        const socket = connect(c.port, '127.0.0.1', () => {
          socket.write(payload);
          if (hangUp) setTimeout(() => socket.destroy(), 20);
        });
        socket.on('data', () => undefined);
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
        if (!hangUp) setTimeout(() => socket.end(), 50);
      });
    await send('POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"resourceSpans":[', true);
    await send('POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n\x1f\x8b\x08\x00\x00\r\n', true);
    await send('GARBAGE / HTTP/9.9\r\n\r\n', false);
    await send('GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n', false);
    const health = await fetch(`${c.url}/api/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { ok: boolean }).ok).toBe(true);
  });
});
