// OTLP JSON traces for the panel bench: chat messages as the SDK and the demo services export them
// (browser chat.message + chat.stream with chunk events, gateway HTTP server span, stream sse with
// delta events, retrieval, model call), and one agent-style message whose tool/model loop makes it
// a 5,000-span trace. Deterministic (seeded), so every run posts the same bytes.

const hex = (n, width) => n.toString(16).padStart(width, '0');
const nanos = (ms) => (BigInt(Math.round(ms * 1000)) * 1000n).toString();

function kv(attrs) {
  return Object.entries(attrs).map(([key, value]) => ({
    key,
    value:
      typeof value === 'string' ? { stringValue: value }
        : typeof value === 'boolean' ? { boolValue: value }
          : Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value },
  }));
}

/** Small deterministic PRNG (mulberry32). */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RESOURCES = {
  'chat-web': { 'service.name': 'chat-web', 'telemetry.sdk.name': 'opentelemetry', 'telemetry.sdk.language': 'webjs', 'telemetry.sdk.version': '2.12.0', 'browser.platform': 'Linux', 'browser.language': 'en-US', 'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36' },
  'chat-gateway': { 'service.name': 'chat-gateway', 'telemetry.sdk.name': 'opentelemetry', 'telemetry.sdk.language': 'nodejs', 'telemetry.sdk.version': '2.12.0', 'process.runtime.name': 'nodejs', 'process.runtime.version': '20.20.0', 'host.name': 'bench-host' },
  'vector-store': { 'service.name': 'vector-store', 'telemetry.sdk.name': 'opentelemetry', 'telemetry.sdk.language': 'nodejs', 'telemetry.sdk.version': '2.12.0', 'host.name': 'bench-host' },
  'model-service': { 'service.name': 'model-service', 'telemetry.sdk.name': 'opentelemetry', 'telemetry.sdk.language': 'nodejs', 'telemetry.sdk.version': '2.12.0', 'host.name': 'bench-host' },
};
const SCOPES = { 'chat-web': '@streamtrace/web', 'chat-gateway': '@streamtrace/node', 'vector-store': 'vector-store', 'model-service': 'model-service' };

/** Collects spans of one trace per service, with ids unique across the whole data set. */
function traceBuilder(traceNumber, t0) {
  const traceId = `${hex(0xbe4c, 8)}${hex(traceNumber, 24)}`;
  let next = 0;
  const spans = [];
  const add = ({ service, parent, name, kind, start, end, attrs = {}, events = [], status }) => {
    next += 1;
    const spanId = hex(traceNumber * 0x10000 + next, 16);
    spans.push({
      service,
      span: {
        traceId, spanId, ...(parent ? { parentSpanId: parent } : {}), name, kind,
        startTimeUnixNano: nanos(t0 + start), endTimeUnixNano: nanos(t0 + end),
        attributes: kv(attrs),
        events: events.map((e) => ({ name: e.name, timeUnixNano: nanos(t0 + e.at), attributes: kv(e.attrs ?? {}) })),
        status: status ?? { code: 0 },
      },
    });
    return spanId;
  };
  return { traceId, spans, add, get count() { return spans.length; } };
}

/** The browser + gateway part every chat message has; returns the gateway server span id. */
function chatFront(b, n, rnd, { durationMs, chunks }) {
  const ttft = 300 + rnd() * 500;
  const message = b.add({
    service: 'chat-web', name: 'chat.message', kind: 1, start: 0, end: durationMs,
    attrs: { 'session.id': `session-${n % 40}`, 'streamtrace.message.id': `msg-${hex(n, 6)}`, 'gen_ai.conversation.id': `conv-${n % 120}`, 'streamtrace.message.outcome': 'complete', 'streamtrace.ttft_visible_ms': ttft },
  });
  const chunkEvents = Array.from({ length: Math.min(chunks, 100) }, (_, index) => {
    const arrival = ttft - 30 + index * ((durationMs - ttft) / chunks);
    return { name: 'chunk', at: 10 + arrival, attrs: { 'streamtrace.chunk.index': index, 'streamtrace.chunk.bytes': 20 + Math.floor(rnd() * 60), 'streamtrace.chunk.arrival_ms': arrival, 'streamtrace.chunk.commit_ms': arrival + 2, 'streamtrace.chunk.paint_ms': arrival + 9, 'streamtrace.chunk.reason': index === 0 ? 'first' : 'sample' } };
  });
  const stream = b.add({
    service: 'chat-web', parent: message, name: 'chat.stream', kind: 3, start: 10, end: durationMs - 5,
    attrs: {
      'streamtrace.stream.transport': ['fetch', 'eventsource', 'websocket'][n % 3], 'url.full': 'http://127.0.0.1:8787/api/chat', 'http.response.status_code': 200,
      'streamtrace.stream.chunks': chunks, 'streamtrace.stream.bytes': chunks * 48, 'streamtrace.stream.outcome': 'complete',
      'streamtrace.chunk.first_arrival_ms': ttft - 40, 'streamtrace.chunk.first_paint_ms': ttft - 21, 'streamtrace.chunk.first_visible_arrival_ms': ttft - 30, 'streamtrace.chunk.first_visible_index': 1,
      'streamtrace.chunk.render_latency_ms.p50': 8.5, 'streamtrace.chunk.render_latency_ms.p95': 14.2, 'streamtrace.chunk.render_latency_ms.max': 21.7, 'streamtrace.chunk.gap_ms.max': 65, 'streamtrace.chunk.stalls': 0, 'streamtrace.chunk.events_dropped': Math.max(0, chunks - 100),
    },
    events: chunkEvents,
  });
  const server = b.add({
    service: 'chat-gateway', parent: stream, name: 'POST /api/chat', kind: 2, start: 25, end: durationMs - 15,
    attrs: { 'http.request.method': 'POST', 'url.path': '/api/chat', 'url.scheme': 'http', 'http.route': '/api/chat', 'http.response.status_code': 200, 'server.address': '127.0.0.1', 'server.port': 8787, 'network.protocol.version': '1.1', 'user_agent.original': 'Mozilla/5.0', 'session.id': `session-${n % 40}`, 'streamtrace.message.id': `msg-${hex(n, 6)}` },
  });
  const deltas = Math.min(chunks, 200);
  b.add({
    service: 'chat-gateway', parent: server, name: 'stream sse', kind: 1, start: 240, end: durationMs - 20,
    attrs: { 'streamtrace.stream.transport': 'sse', 'streamtrace.stream.deltas': chunks, 'streamtrace.stream.events_sent': chunks + 2, 'streamtrace.stream.bytes': chunks * 48, 'streamtrace.stream.ttfb_ms': ttft - 250, 'streamtrace.stream.outcome': 'complete' },
    events: [
      { name: 'stream.start', at: 240 },
      ...Array.from({ length: deltas }, (_, index) => ({ name: 'stream.delta', at: ttft - 50 + index * ((durationMs - ttft) / chunks), attrs: { 'streamtrace.delta.index': index, 'streamtrace.delta.bytes': 48 } })),
      { name: 'stream.complete', at: durationMs - 21 },
    ],
  });
  const retrieval = b.add({
    service: 'chat-gateway', parent: server, name: 'retrieval docs', kind: 3, start: 35, end: 230,
    attrs: { 'gen_ai.operation.name': 'retrieval', 'gen_ai.data_source.id': 'docs', 'gen_ai.request.top_k': 4 },
  });
  b.add({
    service: 'vector-store', parent: retrieval, name: 'vector.search docs', kind: 1, start: 60, end: 220,
    attrs: { 'db.system.name': 'streamtrace.vector', 'db.collection.name': 'docs', 'db.operation.name': 'search', 'gen_ai.data_source.id': 'docs', 'gen_ai.retrieval.documents': JSON.stringify([{ id: 'doc-1', score: 0.91 }, { id: 'doc-7', score: 0.84 }, { id: 'doc-3', score: 0.77 }, { id: 'doc-9', score: 0.7 }]) },
  });
  return { server, ttft };
}

function modelCall(b, parent, start, end, ttfc, outputTokens) {
  const chat = b.add({
    service: 'chat-gateway', parent, name: 'chat sim-gpt-1', kind: 3, start, end,
    attrs: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'sim-gpt-1', 'gen_ai.response.model': 'sim-gpt-1', 'gen_ai.request.stream': true, 'gen_ai.usage.input_tokens': 412, 'gen_ai.usage.output_tokens': outputTokens, 'gen_ai.response.time_to_first_chunk': ttfc / 1000, 'gen_ai.response.finish_reasons': 'stop' },
  });
  return chat;
}

/** One ordinary chat message: 8 spans, ~100 chunk events and ~60 delta events. */
export function chatMessageTrace(n, t0) {
  const rnd = random(n + 1);
  const b = traceBuilder(n, t0);
  const durationMs = 1500 + rnd() * 3000;
  const chunks = 40 + Math.floor(rnd() * 80);
  const { server, ttft } = chatFront(b, n, rnd, { durationMs, chunks });
  const chat = modelCall(b, server, 235, durationMs - 25, ttft - 260, chunks);
  b.add({ service: 'model-service', parent: chat, name: 'chat sim-gpt-1', kind: 1, start: 245, end: durationMs - 30, attrs: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'sim-gpt-1', 'streamtrace.fault': 'none' } });
  return b;
}

/**
 * An agent message: the chat front, then tool/model steps (agent.step → tool HTTP call → vector
 * search, and model call → model-service HTTP server → model span) until the trace has `spanCount` spans.
 */
export function agentMessageTrace(n, t0, spanCount = 5000) {
  const rnd = random(n + 7);
  const b = traceBuilder(n, t0);
  const steps = Math.ceil(spanCount / 9);
  const stepMs = 90;
  const durationMs = 400 + steps * stepMs + 800;
  const { server, ttft } = chatFront(b, n, rnd, { durationMs, chunks: 400 });
  for (let step = 0; b.count < spanCount; step += 1) {
    const at = 250 + step * stepMs;
    const left = () => b.count < spanCount;
    const stepId = b.add({ service: 'chat-gateway', parent: server, name: `agent.step ${step}`, kind: 1, start: at, end: at + stepMs - 4, attrs: { 'streamtrace.agent.step': step, 'gen_ai.operation.name': 'invoke_agent' } });
    if (!left()) break;
    const tool = b.add({ service: 'chat-gateway', parent: stepId, name: 'execute_tool search_docs', kind: 1, start: at + 2, end: at + 40, attrs: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search_docs', 'gen_ai.tool.call.id': `call_${hex(step, 8)}` } });
    if (!left()) break;
    const get = b.add({ service: 'chat-gateway', parent: tool, name: 'GET', kind: 3, start: at + 4, end: at + 38, attrs: { 'http.request.method': 'GET', 'url.full': `http://127.0.0.1:8788/search?q=step${step}`, 'server.address': '127.0.0.1', 'server.port': 8788, 'http.response.status_code': 200 } });
    if (!left()) break;
    const vsServer = b.add({ service: 'vector-store', parent: get, name: 'GET /search', kind: 2, start: at + 6, end: at + 36, attrs: { 'http.request.method': 'GET', 'url.path': '/search', 'http.route': '/search', 'http.response.status_code': 200 } });
    if (!left()) break;
    b.add({ service: 'vector-store', parent: vsServer, name: 'vector.search docs', kind: 1, start: at + 8, end: at + 34, attrs: { 'db.system.name': 'streamtrace.vector', 'db.collection.name': 'docs', 'db.operation.name': 'search', 'gen_ai.data_source.id': 'docs' } });
    if (!left()) break;
    const chat = modelCall(b, stepId, at + 42, at + stepMs - 6, 20 + rnd() * 20, 30 + Math.floor(rnd() * 50));
    if (!left()) break;
    const post = b.add({ service: 'chat-gateway', parent: chat, name: 'POST', kind: 3, start: at + 43, end: at + stepMs - 7, attrs: { 'http.request.method': 'POST', 'url.full': 'http://127.0.0.1:8789/v1/chat/completions', 'server.address': '127.0.0.1', 'server.port': 8789, 'http.response.status_code': 200 } });
    if (!left()) break;
    const modelServer = b.add({ service: 'model-service', parent: post, name: 'POST /v1/chat/completions', kind: 2, start: at + 45, end: at + stepMs - 8, attrs: { 'http.request.method': 'POST', 'url.path': '/v1/chat/completions', 'http.route': '/v1/chat/completions', 'http.response.status_code': 200 } });
    if (!left()) break;
    b.add({
      service: 'model-service', parent: modelServer, name: 'chat sim-gpt-1', kind: 1, start: at + 46, end: at + stepMs - 9,
      attrs: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'sim-gpt-1', 'streamtrace.fault': 'none' },
      events: Array.from({ length: 6 }, (_, i) => ({ name: 'gen_ai.choice', at: at + 60 + i * 4, attrs: { index: 0, 'gen_ai.delta.bytes': 12 } })),
    });
  }
  return b;
}

/**
 * OTLP JSON bodies as exporters batch them: spans grouped by service (resource + scope), at most
 * `maxBatch` spans (the BatchSpanProcessor default is 512) and about `maxBytes` of JSON per POST
 * (under the collector's 4 MiB body limit).
 */
export function exportBodies(traces, { maxBatch = 512, maxBytes = 3 * 1024 * 1024 } = {}) {
  const byService = new Map();
  for (const trace of traces) {
    for (const { service, span } of trace.spans) {
      if (!byService.has(service)) byService.set(service, []);
      byService.get(service).push(span);
    }
  }
  const bodies = [];
  const body = (service, spans) => JSON.stringify({ resourceSpans: [{ resource: { attributes: kv(RESOURCES[service]) }, scopeSpans: [{ scope: { name: SCOPES[service], version: '0.1.0' }, spans }] }] });
  for (const [service, spans] of byService) {
    let batch = [];
    let bytes = 0;
    for (const span of spans) {
      const size = JSON.stringify(span).length + 1;
      if (batch.length && (batch.length >= maxBatch || bytes + size > maxBytes)) {
        bodies.push(body(service, batch));
        batch = [];
        bytes = 0;
      }
      batch.push(span);
      bytes += size;
    }
    if (batch.length) bodies.push(body(service, batch));
  }
  return bodies;
}

/**
 * `messages` chat messages one `STEP_MS` apart ending now; the newest is the agent message with
 * `bigSpans` spans (so it heads the list).
 */
export function panelDataSet({ messages = 1000, bigSpans = 5000, now = Date.now() } = {}) {
  const STEP_MS = 3000;
  const traces = [];
  for (let n = 0; n < messages - 1; n++) traces.push(chatMessageTrace(n + 1, now - (messages - n) * STEP_MS));
  const big = agentMessageTrace(messages, now - STEP_MS, bigSpans);
  traces.push(big);
  return { traces, bigTraceId: big.traceId, spanCount: traces.reduce((sum, t) => sum + t.count, 0) };
}
