// Runs Node snippets for real: compiled with TypeScript's transpiler, preceded by the guide's own
// tracing setup (`with=`), exporting to a real dev collector. Server snippets must answer an
// EventSource-style request whose context is in the query, join the browser's trace with their
// HTTP server span and record a complete `stream sse` span.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import WebSocket from 'ws';
import grpc from '@grpc/grpc-js';
import { chatService } from '../lib/grpc-driver.mjs';

const TRANSPILE = {
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2022,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
};

function compile(dir, id, code) {
  const { outputText } = ts.transpileModule(code, { compilerOptions: TRANSPILE, fileName: `${id}.ts` });
  writeFileSync(join(dir, `${id}.mjs`), outputText);
}

const hex = (bytes) => randomBytes(bytes).toString('hex');
const attr = (span, key) => {
  const value = span.attributes?.find((a) => a.key === key)?.value;
  return value === undefined ? undefined : (value.stringValue ?? value.intValue ?? value.doubleValue ?? value.boolValue);
};

function launch(dir, snippet, withId, env) {
  const args = ['--import', pathToFileURL(join(import.meta.dirname, '../lib/port0.mjs')).href];
  if (withId) args.push('--import', `./${withId}.mjs`);
  // A gRPC handler module is hosted by the driver; everything else is the main module itself.
  if (snippet.options['expect'] === 'grpc') {
    args.push(join(import.meta.dirname, '../lib/grpc-driver.mjs'));
    env = { ...env, SNIPPET_MODULE: `./${snippet.id}.mjs` };
  } else if (snippet.options['expect'] === 'span') {
    args.push(join(import.meta.dirname, '../lib/module-driver.mjs'));
    env = { ...env, SNIPPET_MODULE: `./${snippet.id}.mjs`, SNIPPET_ID: snippet.id };
  } else {
    args.push(`./${snippet.id}.mjs`);
  }
  const child = spawn(process.execPath, args, { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const io = { stdout: '', stderr: '' };
  child.stdout.on('data', (d) => (io.stdout += d));
  child.stderr.on('data', (d) => (io.stderr += d));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, io, exited };
}

function until(predicate, ms, what) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = async () => {
      try {
        const value = await predicate();
        if (value) return resolve(value);
      } catch {
        // not yet
      }
      if (Date.now() - started > ms) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 100);
    };
    tick();
  });
}

async function stop(run) {
  if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGTERM');
  const timer = setTimeout(() => run.child.kill('SIGKILL'), 10_000);
  await run.exited;
  clearTimeout(timer);
}

async function baseUrl(run) {
  const listening = await until(() => /SNIPPET_LISTENING (.*)/.exec(run.io.stdout)?.[1], 30_000, 'the server to listen');
  const { address, port } = JSON.parse(listening);
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/** Spans of one trace from the collector, once `ready(spans)` holds. */
function traceSpans(collectorUrl, traceId, ready) {
  return until(async () => {
    const r = await fetch(`${collectorUrl}/api/v3/traces/${traceId}`);
    if (r.status !== 200) return undefined;
    const all = (await r.json()).result.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
    return ready(all) ? all : undefined;
  }, 10_000, 'the stream span in the collector');
}

function browserIds() {
  return { traceId: hex(16), parentId: hex(8), sessionId: `s-${hex(4)}`, messageId: `m-${hex(4)}` };
}

function checkStreamSpan(stream, ids) {
  const problems = [];
  if (attr(stream, 'session.id') !== ids.sessionId) problems.push(`stream span session.id = ${attr(stream, 'session.id')}`);
  if (attr(stream, 'streamtrace.message.id') !== ids.messageId) problems.push(`stream span streamtrace.message.id = ${attr(stream, 'streamtrace.message.id')}`);
  if (attr(stream, 'streamtrace.stream.outcome') !== 'complete') problems.push(`stream outcome ${attr(stream, 'streamtrace.stream.outcome')}`);
  if (!(Number(attr(stream, 'streamtrace.stream.deltas')) >= 1)) problems.push('stream span counted no deltas');
  return problems;
}

/** A WebSocket chat: context only in the first frame; the `stream websocket` span must join that trace. */
async function exerciseWebSocket(run, collectorUrl) {
  const base = await baseUrl(run).catch((e) => e);
  if (base instanceof Error) return [`${base.message}; stderr: ${run.io.stderr.slice(0, 800)}`];
  const ids = browserIds();
  const frames = await new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/chat/ws`);
    const got = [];
    const timer = setTimeout(() => reject(new Error(`no done frame; got ${JSON.stringify(got)}`)), 15_000);
    ws.on('open', () => ws.send(JSON.stringify({ message: 'hi', traceparent: `00-${ids.traceId}-${ids.parentId}-01`, session_id: ids.sessionId, message_id: ids.messageId })));
    ws.on('message', (data) => {
      got.push(JSON.parse(String(data)));
      if (got.at(-1).type === 'done') {
        clearTimeout(timer);
        ws.close(1000);
        resolve(got);
      }
    });
    ws.on('error', reject);
  }).catch((e) => e);
  if (frames instanceof Error) return [frames.message];
  const problems = [];
  if (!frames.some((f) => f.type === 'delta')) problems.push('no delta frame');
  await stop(run);
  const spans = await traceSpans(collectorUrl, ids.traceId, (all) => all.some((s) => s.name === 'stream websocket')).catch((e) => e);
  if (spans instanceof Error) return [...problems, spans.message, `stderr: ${run.io.stderr.slice(0, 800)}`];
  const stream = spans.find((s) => s.name === 'stream websocket');
  if (stream.kind !== 2 || stream.parentSpanId !== ids.parentId) problems.push(`stream websocket is kind ${stream.kind} under ${stream.parentSpanId}, not SERVER under the browser span ${ids.parentId}`);
  return [...problems, ...checkStreamSpan(stream, ids)];
}

/** gRPC: client metadata carries the active span; a server stream joins the caller's trace. */
async function exerciseGrpc(run, collectorUrl) {
  const base = await baseUrl(run).catch((e) => e);
  if (base instanceof Error) return [`${base.message}; stderr: ${run.io.stderr.slice(0, 800)}`];
  const problems = [];
  const md = JSON.parse(/SNIPPET_METADATA (.*)/.exec(run.io.stdout)?.[1] ?? 'null');
  if (!md || md.traceparent !== `00-${md.traceId}-${md.spanId}-01`) problems.push(`outgoingMetadata() wrote traceparent ${md?.traceparent}, not the active span's context`);
  const ids = browserIds();
  const client = new (chatService())(base.replace(/^http:\/\//, ''), grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  metadata.set('traceparent', `00-${ids.traceId}-${ids.parentId}-01`);
  metadata.set('baggage', `session.id=${ids.sessionId},streamtrace.message.id=${ids.messageId}`);
  const texts = await new Promise((resolve, reject) => {
    const got = [];
    const call = client.StreamChat({ message: 'hi' }, metadata, { deadline: Date.now() + 15_000 });
    call.on('data', (chunk) => got.push(chunk.text));
    call.on('end', () => resolve(got));
    call.on('error', reject);
  }).catch((e) => e);
  client.close();
  if (texts instanceof Error) return [...problems, `call failed: ${texts.message}`];
  if (texts.length === 0) problems.push('no chunks streamed');
  await stop(run);
  const spans = await traceSpans(collectorUrl, ids.traceId, (all) => all.some((s) => s.name === 'stream grpc')).catch((e) => e);
  if (spans instanceof Error) return [...problems, spans.message, `stderr: ${run.io.stderr.slice(0, 800)}`];
  const stream = spans.find((s) => s.name === 'stream grpc');
  if (stream.kind !== 2 || stream.parentSpanId !== ids.parentId) problems.push(`stream grpc is kind ${stream.kind} under ${stream.parentSpanId}, not SERVER under the caller ${ids.parentId}`);
  if (attr(stream, 'rpc.method') !== 'docs.Chat/StreamChat') problems.push(`rpc.method ${attr(stream, 'rpc.method')}`);
  return [...problems, ...checkStreamSpan(stream, ids)];
}

/** What the span a library snippet records must look like (name, kind, attributes). */
const EXPECTED_SPANS = {
  'custom-stream': { name: 'stream sse', attributes: { 'streamtrace.stream.outcome': 'complete', 'streamtrace.stream.deltas': '3', 'streamtrace.stream.transport': 'sse' } },
  'model-span': { name: 'chat docs-model', kind: 3, attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'docs-model', 'streamtrace.stream.outcome': 'complete' }, positive: ['gen_ai.response.time_to_first_chunk'] },
};

/** A library snippet called by lib/module-driver.mjs under a remote parent: its span must join that trace. */
async function exerciseSpan(snippet, run, ids, collectorUrl) {
  const expected = EXPECTED_SPANS[snippet.id];
  if (!expected) return [`no expected span for ${snippet.id} in checks/run-node.mjs`];
  const done = await until(() => run.io.stdout.includes('SNIPPET_DONE') || run.child.exitCode !== null, 30_000, 'the driver').catch((e) => e);
  if (done instanceof Error || !run.io.stdout.includes('SNIPPET_DONE')) return [`driver did not finish; stderr: ${run.io.stderr.slice(0, 800)}`];
  await stop(run);
  const spans = await traceSpans(collectorUrl, ids.traceId, (all) => all.some((s) => s.name === expected.name)).catch((e) => e);
  if (spans instanceof Error) return [spans.message, `stderr: ${run.io.stderr.slice(0, 800)}`];
  const span = spans.find((s) => s.name === expected.name);
  const problems = [];
  if (span.parentSpanId !== ids.parentId) problems.push(`${expected.name} is not a child of the caller's span`);
  if (expected.kind !== undefined && span.kind !== expected.kind) problems.push(`${expected.name} has kind ${span.kind}, not ${expected.kind}`);
  for (const [key, value] of Object.entries(expected.attributes)) if (String(attr(span, key)) !== value) problems.push(`${key} = ${attr(span, key)}, not ${value}`);
  for (const key of expected.positive ?? []) if (!(Number(attr(span, key)) > 0)) problems.push(`${key} = ${attr(span, key)}`);
  return problems;
}

async function exerciseServer(snippet, run, collectorUrl) {
  const problems = [];
  const base = await baseUrl(run).catch((e) => e);
  if (base instanceof Error) return [`${base.message}; stderr: ${run.io.stderr.slice(0, 800)}`];

  if (snippet.options['cors'] === 'true') {
    const pre = await fetch(`${base}/api/chat/stream`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET', 'access-control-request-headers': 'traceparent,baggage,x-session-id,x-message-id' },
    });
    const allowed = (pre.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const h of ['traceparent', 'baggage', 'x-session-id', 'x-message-id']) if (!allowed.includes(h)) problems.push(`preflight does not allow ${h} (got "${allowed}")`);
  }

  const ids = browserIds();
  const { traceId, parentId, sessionId, messageId } = ids;
  const query = new URLSearchParams({ message: 'hi', traceparent: `00-${traceId}-${parentId}-01`, session_id: sessionId, message_id: messageId });
  const res = await fetch(`${base}/api/chat/stream?${query}`, { headers: { accept: 'text/event-stream' }, signal: AbortSignal.timeout(15_000) });
  const body = await res.text();
  if (res.status !== 200) problems.push(`status ${res.status}`);
  if (!String(res.headers.get('content-type')).startsWith('text/event-stream')) problems.push(`content-type ${res.headers.get('content-type')}`);
  if (!res.headers.get('traceparent')?.includes(traceId)) problems.push(`response traceparent "${res.headers.get('traceparent')}" is not in the browser's trace`);
  if (res.headers.get('x-trace-id') !== traceId) problems.push(`x-trace-id "${res.headers.get('x-trace-id')}"`);
  if (!(res.headers.get('access-control-expose-headers') ?? '').includes('traceparent')) problems.push('traceparent is not exposed to browser code');
  if (!/"type":"delta"/.test(body)) problems.push(`no delta event in the body: ${body.slice(0, 200)}`);

  await stop(run); // SIGTERM: the guide's tracing setup shuts the SDK down, which flushes the spans
  const spans = await traceSpans(collectorUrl, traceId, (all) => all.some((s) => s.name === 'stream sse')).catch((e) => e);
  if (spans instanceof Error) return [...problems, spans.message, `stderr: ${run.io.stderr.slice(0, 800)}`];

  const server = spans.find((s) => s.kind === 2 && s.parentSpanId === parentId);
  if (!server) problems.push(`no SERVER span with the browser span ${parentId} as parent: the HTTP server span did not join the trace (${spans.map((s) => `${s.name}/${s.kind}`).join(', ')})`);
  problems.push(...checkStreamSpan(spans.find((s) => s.name === 'stream sse'), ids));
  if (server && attr(server, 'session.id') !== sessionId) problems.push(`HTTP server span session.id = ${attr(server, 'session.id')}`);
  return problems;
}

async function exerciseLogLine(run) {
  const { code } = await Promise.race([run.exited, new Promise((resolve) => setTimeout(() => resolve({ code: 'timeout' }), 30_000))]);
  if (code !== 0) {
    await stop(run);
    return [`exit ${code}; stderr: ${run.io.stderr.slice(0, 800)}`];
  }
  const lines = run.io.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const line = lines.find((l) => l.msg !== undefined);
  if (!line) return [`no log line on stdout: ${run.io.stdout.slice(0, 300)}`];
  const problems = [];
  if (!/^[0-9a-f]{32}$/.test(line.trace_id ?? '')) problems.push(`trace_id ${line.trace_id}`);
  if (!/^[0-9a-f]{16}$/.test(line.span_id ?? '')) problems.push(`span_id ${line.span_id}`);
  if (line.trace_flags !== '01') problems.push(`trace_flags ${line.trace_flags}`);
  return problems;
}

/** Runs one snippet; resolves to a list of problems (empty when it did what the guide says). */
export async function runNodeSnippet(snippet, byId, dir, collectorUrl) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  const withId = snippet.options['with'];
  if (withId) {
    const setup = byId.get(withId);
    if (!setup) return [`with=${withId}: no such snippet`];
    compile(dir, withId, setup.code);
  }
  compile(dir, snippet.id, snippet.code);
  const ids = browserIds();
  const run = launch(dir, snippet, withId, {
    SNIPPET_TRACEPARENT: `00-${ids.traceId}-${ids.parentId}-01`,
    OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl,
    OTEL_SERVICE_NAME: `docs-${snippet.id}`,
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
  });
  try {
    const expect = snippet.options['expect'] ?? 'sse';
    if (expect === 'log-line') return await exerciseLogLine(run);
    if (expect === 'websocket') return await exerciseWebSocket(run, collectorUrl);
    if (expect === 'grpc') return await exerciseGrpc(run, collectorUrl);
    if (expect === 'span') return await exerciseSpan(snippet, run, ids, collectorUrl);
    if (expect === 'sse') return await exerciseServer(snippet, run, collectorUrl);
    return [`unknown expect=${expect}`];
  } finally {
    await stop(run);
  }
}
