import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import type { ClientReadableStream, ServiceError } from '@grpc/grpc-js';
import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { injectGrpcMetadata } from '@streamtrace/node/grpc';
import { ERROR_TYPE_TRAILER, chatModelService } from './grpc-proto.js';
import type { GrpcChatChunk, GrpcChatRequest } from './grpc-proto.js';
import { createModelGrpcServer, listenGrpc } from './grpc-server.js';

const exporter = new InMemorySpanExporter();
let server: grpc.Server;
let client: grpc.Client;

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  server = createModelGrpcServer({ defaultModel: 'sim-test', timing: { ttftMs: 20, tokenDelayMs: 2, jitterMs: 2 }, stallMs: 20_000 });
  const address = await listenGrpc(server, 0);
  const Client = chatModelService();
  client = new Client(address, grpc.credentials.createInsecure());
});
afterAll(() => {
  client.close();
  server.forceShutdown();
});

const messages = [
  { role: 'system', content: '[1] SSE: Server-Sent Events is a one-way protocol over plain HTTP. Browsers expose it through EventSource.' },
  { role: 'user', content: 'What is SSE?' },
];
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

function streamChat(request: Partial<GrpcChatRequest>, metadata = new grpc.Metadata()): ClientReadableStream<GrpcChatChunk> {
  return (client as unknown as { StreamChat(r: Partial<GrpcChatRequest>, m: grpc.Metadata): ClientReadableStream<GrpcChatChunk> }).StreamChat(
    { messages, ...request },
    metadata,
  );
}

function collect(call: ClientReadableStream<GrpcChatChunk>): Promise<{ chunks: GrpcChatChunk[]; error?: ServiceError }> {
  const chunks: GrpcChatChunk[] = [];
  return new Promise((resolve) => {
    call.on('data', (chunk: GrpcChatChunk) => chunks.push(chunk));
    call.on('error', (error: ServiceError) => resolve({ chunks, error }));
    call.on('end', () => resolve({ chunks }));
  });
}

async function spanWhere(match: (span: ReadableSpan) => boolean): Promise<ReadableSpan> {
  for (let i = 0; i < 100; i++) {
    const span = exporter.getFinishedSpans().find(match);
    if (span) return span;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`span not found in: ${exporter.getFinishedSpans().map((s) => s.name).join(', ')}`);
}

describe('model-service gRPC StreamChat', () => {
  it('streams content chunks and a final chunk with usage, traced as `stream grpc` joined to the caller', async () => {
    const metadata = new grpc.Metadata();
    metadata.set('traceparent', `00-${TRACE_ID}-${PARENT_ID}-01`);
    const { chunks, error } = await collect(streamChat({}, metadata));
    expect(error).toBeUndefined();
    const last = chunks.at(-1)!;
    expect(last).toMatchObject({ finish_reason: 'stop', content: '', model: 'sim-test' });
    const deltas = chunks.slice(0, -1);
    expect(deltas.map((c) => c.content).join('')).toContain('one-way protocol');
    expect(last.usage).toMatchObject({ completion_tokens: deltas.length });
    expect(last.usage!.prompt_tokens).toBeGreaterThan(10);

    const stream = await spanWhere((s) => s.name === 'stream grpc' && s.spanContext().traceId === TRACE_ID);
    expect(stream.parentSpanContext?.spanId).toBe(PARENT_ID);
    expect(stream.attributes).toMatchObject({
      'streamtrace.stream.transport': 'grpc',
      'streamtrace.stream.outcome': 'complete',
      'streamtrace.stream.deltas': deltas.length,
      'rpc.method': 'streamtrace.model.v1.ChatModel/StreamChat',
    });
    expect(stream.events.filter((e) => e.name === 'stream.delta')).toHaveLength(deltas.length);
    const chat = await spanWhere((s) => s.attributes['gen_ai.response.id'] === last.id);
    expect(chat.name).toBe('chat sim-test');
    expect(chat.parentSpanContext?.spanId).toBe(stream.spanContext().spanId);
    expect(chat.attributes).toMatchObject({ 'gen_ai.usage.output_tokens': deltas.length, 'streamtrace.stream.outcome': 'complete' });
  });

  it('honours max_tokens with finish reason length', async () => {
    const { chunks } = await collect(streamChat({ max_tokens: 4 }));
    expect(chunks).toHaveLength(5);
    expect(chunks.at(-1)).toMatchObject({ finish_reason: 'length', usage: { completion_tokens: 4 } });
  });

  it('model-error ends the call UNAVAILABLE with the error type in a trailer, and marks both spans', async () => {
    const { chunks, error } = await collect(streamChat({ fault: 'model-error' }));
    expect(chunks).toEqual([]);
    expect(error?.code).toBe(grpc.status.UNAVAILABLE);
    expect(error?.details).toMatch(/overloaded/);
    expect(error?.metadata.get(ERROR_TYPE_TRAILER)).toEqual(['model_error']);
    const stream = await spanWhere((s) => s.name === 'stream grpc' && s.attributes['streamtrace.fault'] === 'model-error');
    expect(stream.status.code).toBe(SpanStatusCode.ERROR);
    expect(stream.attributes['error.type']).toBe('model_error');
    const chat = await spanWhere((s) => s.name === 'chat sim-test' && s.attributes['streamtrace.fault'] === 'model-error');
    expect(chat.attributes['error.type']).toBe('model_error');
  });

  it('midstream-error sends five deltas, then fails INTERNAL with midstream_error', async () => {
    const { chunks, error } = await collect(streamChat({ fault: 'midstream-error' }));
    expect(chunks).toHaveLength(5);
    expect(error?.code).toBe(grpc.status.INTERNAL);
    expect(error?.metadata.get(ERROR_TYPE_TRAILER)).toEqual(['midstream_error']);
  });

  it('rejects an empty request with INVALID_ARGUMENT', async () => {
    const { error } = await collect(streamChat({ messages: [] }));
    expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error?.metadata.get(ERROR_TYPE_TRAILER)).toEqual(['invalid_request']);
  });

  it('a client cancel during a stall stops generation and ends both spans as cancelled', async () => {
    const metadata = injectGrpcMetadata(new grpc.Metadata());
    const call = streamChat({ fault: 'stall' }, metadata);
    let received = 0;
    call.on('error', () => undefined);
    await new Promise<void>((resolve) => {
      call.on('data', () => {
        if (++received === 5) resolve();
      });
    });
    call.cancel();
    const stream = await spanWhere((s) => s.name === 'stream grpc' && s.attributes['streamtrace.fault'] === 'stall');
    expect(stream.attributes['streamtrace.stream.outcome']).toBe('cancel');
    expect(stream.events.map((e) => e.name)).toContain('stream.cancel');
    const chat = await spanWhere((s) => s.name === 'chat sim-test' && s.attributes['streamtrace.fault'] === 'stall');
    expect(chat.attributes).toMatchObject({ 'streamtrace.stream.outcome': 'cancel', 'gen_ai.usage.output_tokens': 5 });
  });
});
