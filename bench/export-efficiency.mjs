// What our SDK puts on the wire for one streamed message: OTLP POSTs captured on the local sink during a
// 10,000-chunk message (and a 100-chunk one for scale), the JSON size of that message's span data
// (design limit 64 KB), and the same spans re-encoded in Node with @opentelemetry/otlp-transformer's
// JsonTraceSerializer / ProtobufTraceSerializer (plus gzip) to compare the encodings. The `gzip` rows
// run the same quick start with `compression: 'gzip'`: "POST KiB" is then what went on the wire.
// `node bench/export-efficiency.mjs`
import { gunzipSync, gzipSync } from 'node:zlib';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { launchChromium, openPage } from './lib/browser.mjs';
import { browserScripts, oursBuilt } from './lib/sdks.mjs';
import { startBenchServer } from './lib/server.mjs';
import { readableSpansFromOtlpJson } from './lib/otlp-json.mjs';
import { printTable } from './lib/table.mjs';

const LIMIT = 64 * 1024;
const CASES = [
  { transport: 'fetch', chunks: 100 },
  { transport: 'fetch', chunks: 10000 },
  { transport: 'eventsource', chunks: 10000 },
  { transport: 'websocket', chunks: 10000 },
  { transport: 'fetch', chunks: 10000, sdk: 'streamtrace-gzip' },
  { transport: 'eventsource', chunks: 10000, sdk: 'streamtrace-gzip' },
];

/** Only the spans of one trace, still grouped by resource and scope, as an OTLP JSON request. */
function onlyTrace(request, traceId) {
  return {
    resourceSpans: request.resourceSpans
      .map((rs) => ({ ...rs, scopeSpans: rs.scopeSpans.map((ss) => ({ ...ss, spans: ss.spans.filter((s) => s.traceId === traceId) })).filter((ss) => ss.spans.length > 0) }))
      .filter((rs) => rs.scopeSpans.length > 0),
  };
}

export async function measureExport(browser, server, { transport, chunks, sdk = 'streamtrace' }) {
  const first = server.sink.requests.length;
  const { context, page } = await openPage(browser, `${server.url}/page?sdk=${sdk}`);
  try {
    const result = await page.evaluate(([t, n]) => window.runStream(t, n), [transport, chunks]);
    if (result.chunks !== chunks) throw new Error(`page saw ${result.chunks} of ${chunks} chunks`);
  } finally {
    await context.close();
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  const posts = server.sink.requests.slice(first).filter((r) => r.path === '/v1/traces');
  const bodies = posts.map((r) => {
    if (!r.contentType.includes('json') || !['', 'gzip'].includes(r.contentEncoding)) throw new Error(`unexpected export ${r.contentType} ${r.contentEncoding}`);
    return r.contentEncoding === 'gzip' ? gunzipSync(r.body) : r.body;
  });
  const requests = bodies.map((body) => JSON.parse(body.toString('utf8')));
  const message = requests.flatMap((q) => q.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans))).find((s) => s.name === 'chat.message');
  if (message === undefined) throw new Error('no chat.message span exported');
  const traceId = message.traceId;
  const messageRequests = requests.filter((q) => JSON.stringify(q).includes(traceId));
  const spans = requests.flatMap((q) => readableSpansFromOtlpJson(onlyTrace(q, traceId)));
  const json = JsonTraceSerializer.serializeRequest(spans);
  const proto = ProtobufTraceSerializer.serializeRequest(spans);
  // Validates the conversion: re-encoding each captured POST must give back its exact bytes.
  const roundTrip = bodies.filter((body, i) => Buffer.from(JsonTraceSerializer.serializeRequest(readableSpansFromOtlpJson(requests[i]))).equals(body)).length;
  const events = spans.reduce((sum, s) => sum + s.events.length, 0);
  return {
    transport,
    chunks,
    sdk,
    posts: posts.length,
    gzipPosts: posts.filter((r) => r.contentEncoding === 'gzip').length,
    postBytes: posts.reduce((sum, r) => sum + r.bytes, 0),
    messageRequests: messageRequests.length,
    spans: spans.length,
    events,
    jsonBytes: json.length,
    jsonGzip: gzipSync(json, { level: 9 }).length,
    protoBytes: proto.length,
    protoGzip: gzipSync(proto, { level: 9 }).length,
    roundTrip,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!oursBuilt()) throw new Error('sdk/dist is missing: run `npm run build -w sdk` first');
  const started = performance.now();
  const server = await startBenchServer(await browserScripts([...new Set(CASES.map((c) => c.sdk ?? 'streamtrace'))]));
  const browser = await launchChromium();
  const rows = [];
  try {
    for (const c of CASES) rows.push(await measureExport(browser, server, c));
  } finally {
    await browser.close();
    await server.close();
  }
  const kb = (n) => (n / 1024).toFixed(1);
  console.log('\nStreamtrace export per message (OTLP/HTTP JSON POSTs on the sink; re-encoded in Node for comparison)\n');
  printTable(
    ['transport', 'chunks', 'compression', 'POSTs', 'gzip POSTs', 'POST KiB', 'with msg', 'spans', 'events', 'msg JSON KiB', '< 64 KB', 'JSON gz', 'protobuf KiB', 'proto gz', 'proto/JSON'],
    rows.map((r) => [r.transport, r.chunks, r.sdk === 'streamtrace-gzip' ? 'gzip' : 'none', r.posts, r.gzipPosts, kb(r.postBytes), r.messageRequests, r.spans, r.events, kb(r.jsonBytes), r.jsonBytes < LIMIT ? 'yes' : 'NO', kb(r.jsonGzip), kb(r.protoBytes), kb(r.protoGzip), (r.protoBytes / r.jsonBytes).toFixed(2)]),
  );
  const total = rows.reduce((sum, r) => sum + r.posts, 0);
  console.log(`\nRe-encoding check: JsonTraceSerializer reproduces ${rows.reduce((sum, r) => sum + r.roundTrip, 0)} of ${total} captured POST bodies byte for byte`);
  console.log('(POSTs include other traces (page health); "msg JSON" = only the spans of the chat.message trace, as one OTLP JSON request)');
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
