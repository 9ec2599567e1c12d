// Realistic chat traces for the collector bench, as ReadableSpan-like objects that
// @opentelemetry/otlp-transformer's JsonTraceSerializer / ProtobufTraceSerializer encode, so the JSON and
// protobuf bodies carry exactly the same spans. One message = 8 spans over 4 services (span names and
// attributes per docs/architecture.md): browser chat.message + chat.stream (with `chunk` events), gateway
// HTTP server span + `stream sse` (stream.* events) + retrieval + model client, vector-store search, model.
import { randomBytes } from 'node:crypto';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';

export const SPANS_PER_MESSAGE = 8;

const sdkAttributes = (language) => ({ 'telemetry.sdk.name': 'opentelemetry', 'telemetry.sdk.language': language, 'telemetry.sdk.version': '2.12.0' });
const nodeResource = (service) => ({
  attributes: {
    'service.name': service,
    ...sdkAttributes('nodejs'),
    'host.name': 'dev-laptop',
    'host.arch': 'amd64',
    'process.pid': 41000 + service.length,
    'process.runtime.name': 'nodejs',
    'process.runtime.version': '20.20.0',
    'process.executable.name': 'node',
  },
});
// Spans of one service share one resource object, as spans of one SDK do (the serializers group by identity).
const RESOURCES = {
  browser: { attributes: { 'service.name': 'browser', ...sdkAttributes('webjs'), 'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0 Safari/537.36' } },
  gateway: nodeResource('chat-gateway'),
  vector: nodeResource('vector-store'),
  model: nodeResource('model-service'),
};
const scope = (name, version) => ({ name, version });
const SCOPES = {
  web: scope('@streamtrace/web', '0.1.0'),
  http: scope('@opentelemetry/instrumentation-http', '0.223.0'),
  node: scope('@streamtrace/node', '0.1.0'),
  gateway: scope('chat-gateway', '0.1.0'),
  vector: scope('vector-store', '0.1.0'),
  model: scope('model-service', '0.1.0'),
};

const KIND = { INTERNAL: 0, SERVER: 1, CLIENT: 2 };
const BASE_MS = Date.UTC(2026, 10, 26, 21, 0, 0);

const hr = (ms) => {
  const whole = Math.floor(ms);
  return [Math.floor(whole / 1000), (whole % 1000) * 1e6 + Math.round((ms - whole) * 1e6)];
};

function span({ traceId, spanId, parentSpanId, name, kind, startMs, endMs, attributes, events = [], resource, scope: instrumentationScope, error = false }) {
  const ctx = { traceId, spanId, traceFlags: 1 };
  return {
    name,
    kind,
    spanContext: () => ctx,
    parentSpanContext: parentSpanId ? { traceId, spanId: parentSpanId, traceFlags: 1, isRemote: false } : undefined,
    startTime: hr(startMs),
    endTime: hr(endMs),
    attributes,
    droppedAttributesCount: 0,
    events,
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: error ? { code: 2, message: 'model_error' } : { code: 0 },
    resource,
    instrumentationScope,
  };
}

/**
 * The 8 spans of one chat message. `n` varies timings and ids; `rootParentSpanId` hangs the message under
 * another span (used to build one very large trace).
 */
export function chatMessageSpans({ traceId, n, chunkEvents = 50, deltaEvents = 24, rootParentSpanId }) {
  const ids = randomBytes(8 * SPANS_PER_MESSAGE).toString('hex').match(/.{16}/g);
  const [message, stream, server, sse, retrieval, search, modelClient, model] = ids;
  const t0 = BASE_MS + n * 1500;
  const ttft = 400 + (n % 17) * 23;
  const sessionId = `s-${(n >> 4).toString(36)}`;
  const messageId = `m-${n.toString(36)}`;
  const chunkCount = 180 + (n % 40);
  const streamEnd = t0 + ttft + chunkCount * 15;
  const chunks = Array.from({ length: chunkEvents }, (_, i) => {
    const index = Math.round((i * chunkCount) / chunkEvents);
    const arrival = ttft - 20 + index * 15;
    return {
      name: 'chunk',
      time: hr(t0 + 5 + arrival),
      attributes: {
        'streamtrace.chunk.index': index,
        'streamtrace.chunk.bytes': 48 + (index % 30),
        'streamtrace.chunk.arrival_ms': arrival + 0.1 * (i % 10),
        'streamtrace.chunk.commit_ms': arrival + 1.4,
        'streamtrace.chunk.paint_ms': arrival + 6.2,
        'streamtrace.chunk.reason': i === 0 ? 'first' : i % 13 === 0 ? 'slowest' : 'sample',
      },
      droppedAttributesCount: 0,
    };
  });
  const deltas = Array.from({ length: deltaEvents }, (_, i) => ({
    name: 'stream.delta',
    time: hr(t0 + ttft - 30 + i * 15),
    attributes: { 'streamtrace.delta.index': i, 'streamtrace.delta.bytes': 60 + (i % 20) },
    droppedAttributesCount: 0,
  }));
  const common = { traceId };
  const ids2 = { 'session.id': sessionId, 'streamtrace.message.id': messageId };
  return [
    span({ ...common, spanId: message, parentSpanId: rootParentSpanId, name: 'chat.message', kind: KIND.INTERNAL, startMs: t0, endMs: streamEnd + 8, resource: RESOURCES.browser, scope: SCOPES.web,
      attributes: { ...ids2, 'gen_ai.conversation.id': `c-${sessionId}`, 'streamtrace.message.outcome': 'complete', 'streamtrace.ttft_visible_ms': ttft + 6.4 } }),
    span({ ...common, spanId: stream, parentSpanId: message, name: 'chat.stream', kind: KIND.CLIENT, startMs: t0 + 5, endMs: streamEnd, resource: RESOURCES.browser, scope: SCOPES.web, events: chunks,
      attributes: {
        'streamtrace.stream.transport': 'fetch', 'url.full': 'http://127.0.0.1:8787/api/chat', 'http.response.status_code': 200,
        'streamtrace.stream.chunks': chunkCount, 'streamtrace.stream.bytes': chunkCount * 62, 'streamtrace.stream.outcome': 'complete',
        'streamtrace.chunk.first_arrival_ms': ttft - 20, 'streamtrace.chunk.first_paint_ms': ttft - 14, 'streamtrace.chunk.first_visible_arrival_ms': ttft - 20,
        'streamtrace.chunk.first_visible_index': 0, 'streamtrace.chunk.render_latency_ms.p50': 4.8, 'streamtrace.chunk.render_latency_ms.p95': 9.6,
        'streamtrace.chunk.render_latency_ms.max': 16.1, 'streamtrace.chunk.gap_ms.max': 41.5, 'streamtrace.chunk.stalls': 0, 'streamtrace.chunk.events_dropped': Math.max(0, chunkCount - chunkEvents),
      } }),
    span({ ...common, spanId: server, parentSpanId: stream, name: 'POST /api/chat', kind: KIND.SERVER, startMs: t0 + 7, endMs: streamEnd - 2, resource: RESOURCES.gateway, scope: SCOPES.http,
      attributes: {
        'http.request.method': 'POST', 'url.scheme': 'http', 'url.path': '/api/chat', 'http.route': '/api/chat', 'server.address': '127.0.0.1', 'server.port': 8787,
        'network.protocol.version': '1.1', 'client.address': '127.0.0.1', 'user_agent.original': RESOURCES.browser.attributes['user_agent.original'], 'http.response.status_code': 200, ...ids2,
      } }),
    span({ ...common, spanId: sse, parentSpanId: server, name: 'stream sse', kind: KIND.INTERNAL, startMs: t0 + 9, endMs: streamEnd - 3, resource: RESOURCES.gateway, scope: SCOPES.node,
      events: [{ name: 'stream.start', time: hr(t0 + 9), attributes: {}, droppedAttributesCount: 0 }, ...deltas, { name: 'stream.complete', time: hr(streamEnd - 3), attributes: {}, droppedAttributesCount: 0 }],
      attributes: {
        'streamtrace.stream.transport': 'sse', 'streamtrace.stream.deltas': chunkCount, 'streamtrace.stream.events_sent': chunkCount + 2, 'streamtrace.stream.bytes': chunkCount * 70,
        'streamtrace.stream.ttfb_ms': ttft - 40, 'streamtrace.stream.outcome': 'complete', ...ids2,
      } }),
    span({ ...common, spanId: retrieval, parentSpanId: server, name: 'retrieval docs', kind: KIND.CLIENT, startMs: t0 + 10, endMs: t0 + 60, resource: RESOURCES.gateway, scope: SCOPES.gateway,
      attributes: { 'gen_ai.operation.name': 'retrieval', 'gen_ai.data_source.id': 'docs', 'gen_ai.request.top_k': 4, 'server.address': '127.0.0.1', 'server.port': 8788 } }),
    span({ ...common, spanId: search, parentSpanId: retrieval, name: 'vector.search docs', kind: KIND.INTERNAL, startMs: t0 + 14, endMs: t0 + 55, resource: RESOURCES.vector, scope: SCOPES.vector,
      attributes: {
        'db.system.name': 'streamtrace.vector', 'db.collection.name': 'docs', 'db.operation.name': 'search', 'gen_ai.data_source.id': 'docs',
        'gen_ai.retrieval.documents': JSON.stringify([0, 1, 2, 3].map((i) => ({ id: `doc-${(n + i) % 97}`, score: 0.91 - i * 0.07 }))),
      } }),
    span({ ...common, spanId: modelClient, parentSpanId: server, name: 'chat sim-gpt-1', kind: KIND.CLIENT, startMs: t0 + 62, endMs: streamEnd - 4, resource: RESOURCES.gateway, scope: SCOPES.gateway,
      attributes: {
        'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'sim-gpt-1', 'gen_ai.request.stream': true, 'gen_ai.response.model': 'sim-gpt-1',
        'gen_ai.usage.input_tokens': 120 + (n % 50), 'gen_ai.usage.output_tokens': chunkCount, 'gen_ai.response.time_to_first_chunk': (ttft - 110) / 1000,
        'gen_ai.response.finish_reasons': ['stop'], 'server.address': '127.0.0.1', 'server.port': 8789,
      } }),
    span({ ...common, spanId: model, parentSpanId: modelClient, name: 'chat sim-gpt-1', kind: KIND.INTERNAL, startMs: t0 + 64, endMs: streamEnd - 5, resource: RESOURCES.model, scope: SCOPES.model,
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'sim-gpt-1', 'gen_ai.usage.output_tokens': chunkCount, 'streamtrace.fault': 'none' } }),
  ];
}

export const newTraceId = () => randomBytes(16).toString('hex');

/** `count` spans of consecutive fresh messages (a new trace every 8 spans); `start` numbers the messages. */
export function spanStream(count, start = 0) {
  const spans = [];
  for (let n = start; spans.length < count; n++) spans.push(...chatMessageSpans({ traceId: newTraceId(), n }));
  return spans.slice(0, count);
}

/** One trace of `messages` × 8 spans: the first message's chat.message is the root, the others hang under it. */
export function bigTrace(messages, traceId = newTraceId()) {
  const first = chatMessageSpans({ traceId, n: 0 });
  const rootId = first[0].spanContext().spanId;
  const spans = [...first];
  for (let n = 1; n < messages; n++) spans.push(...chatMessageSpans({ traceId, n, rootParentSpanId: rootId }));
  return { traceId, spans };
}

export const CONTENT_TYPES = { json: 'application/json', protobuf: 'application/x-protobuf' };

export function encode(format, spans) {
  const bytes = format === 'json' ? JsonTraceSerializer.serializeRequest(spans) : ProtobufTraceSerializer.serializeRequest(spans);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Request bodies of `batch` spans each, `total` spans in all, cut from one stream of fresh messages (a
 * message's spans can straddle two requests, as they do when an SDK's batch fills up). */
export function encodeBatches(format, batch, total, start = 0) {
  const bodies = [];
  let pending = [];
  let n = start;
  for (let sent = 0; sent < total; ) {
    const size = Math.min(batch, total - sent);
    while (pending.length < size) pending.push(...chatMessageSpans({ traceId: newTraceId(), n: n++ }));
    bodies.push({ spans: size, body: encode(format, pending.slice(0, size)) });
    pending = pending.slice(size);
    sent += size;
  }
  return bodies;
}
