import { Metadata, Server, ServerCredentials, credentials, makeGenericClientConstructor, status } from '@grpc/grpc-js';
import type { ServerWritableStream, ServiceDefinition, ServiceError } from '@grpc/grpc-js';
import { SpanStatusCode, context } from '@opentelemetry/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { extractRequestContext } from '../context/extract.js';
import { captureLogger } from '../testing/chat.test-helpers.js';
import { BROWSER_SPAN_ID, BROWSER_TRACEPARENT, BROWSER_TRACE_ID, registerTestTracing, waitFor } from '../testing/otel.test-helpers.js';
import { injectGrpcMetadata, traceServerStream } from './grpc.js';

const tracing = registerTestTracing();
const { logger, lines } = captureLogger();

interface ChatRequest {
  message: string;
  mode?: 'endless' | 'fail';
}
const json = {
  serialize: (value: unknown) => Buffer.from(JSON.stringify(value)),
  deserialize: (bytes: Buffer) => JSON.parse(bytes.toString()) as unknown,
};
// A JSON-encoded server-streaming service: no .proto needed to exercise real grpc-js calls.
const definition: ServiceDefinition = {
  chat: {
    path: '/streamtrace.test.Chat/Stream',
    requestStream: false,
    responseStream: true,
    requestSerialize: json.serialize,
    requestDeserialize: json.deserialize,
    responseSerialize: json.serialize,
    responseDeserialize: json.deserialize,
  },
};

function chat(call: ServerWritableStream<ChatRequest, unknown>): void {
  const traced = traceServerStream(call);
  context.with(traced.context, () => {
    logger.info('grpc stream');
    traced.write({ type: 'start' });
    let index = 0;
    const timer = setInterval(() => {
      if (traced.ended) return clearInterval(timer);
      if (call.request.mode === 'fail' && index === 1) {
        clearInterval(timer);
        return traced.fail(Object.assign(new Error('model unavailable'), { code: status.UNAVAILABLE }), 'model_error');
      }
      if (call.request.mode !== 'endless' && index === 3) {
        clearInterval(timer);
        traced.write({ type: 'done' });
        return traced.complete();
      }
      traced.write({ type: 'delta', index, text: `t${index}` }, { delta: true });
      index++;
    }, 5);
  });
}

const server = new Server();
server.addService(definition, { chat });
const Client = makeGenericClientConstructor(definition, 'Chat');
let client: InstanceType<typeof Client>;

beforeAll(async () => {
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
  );
  client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
});
afterAll(() => {
  client.close();
  server.forceShutdown();
});
beforeEach(() => {
  tracing.exporter.reset();
  lines.length = 0;
});

type Call = NodeJS.EventEmitter & { cancel(): void };
const callChat = (request: ChatRequest, metadata: Metadata): Call =>
  (client as unknown as { chat(r: ChatRequest, m: Metadata): Call }).chat(request, metadata);

function collect(call: Call): Promise<{ messages: Record<string, unknown>[]; error?: ServiceError }> {
  const messages: Record<string, unknown>[] = [];
  return new Promise((resolve) => {
    call.on('data', (m: Record<string, unknown>) => messages.push(m));
    call.on('error', (error: ServiceError) => resolve({ messages, error }));
    call.on('end', () => resolve({ messages }));
  });
}

function browserMetadata(): Metadata {
  const browser = extractRequestContext({ headers: { traceparent: BROWSER_TRACEPARENT, 'x-session-id': 'sess-g', 'x-message-id': 'msg-g' } });
  return injectGrpcMetadata(new Metadata(), browser.context);
}

describe('gRPC server-stream helper', () => {
  it('joins the caller trace from metadata, counts deltas, carries ids to span and logs', async () => {
    const { messages, error } = await collect(callChat({ message: 'hi' }, browserMetadata()));
    expect(error).toBeUndefined();
    expect(messages.map((m) => m.type)).toEqual(['start', 'delta', 'delta', 'delta', 'done']);
    const span = await waitFor(() => tracing.spans('stream grpc')[0]);
    expect(span.parentSpanContext?.spanId).toBe(BROWSER_SPAN_ID);
    expect(span.spanContext().traceId).toBe(BROWSER_TRACE_ID);
    expect(span.attributes).toMatchObject({
      'rpc.system': 'grpc',
      'rpc.method': 'streamtrace.test.Chat/Stream',
      'streamtrace.stream.transport': 'grpc',
      'streamtrace.stream.deltas': 3,
      'streamtrace.stream.events_sent': 5,
      'streamtrace.stream.outcome': 'complete',
      'session.id': 'sess-g',
      'streamtrace.message.id': 'msg-g',
    });
    expect(span.events.filter((e) => e.name === 'stream.delta')).toHaveLength(3);
    expect(lines[0]).toMatchObject({ trace_id: BROWSER_TRACE_ID, 'session.id': 'sess-g', 'streamtrace.message.id': 'msg-g' });
  });

  it('a client cancel gives stream.cancel', async () => {
    const call = callChat({ message: 'hi', mode: 'endless' }, browserMetadata());
    call.once('data', () => call.once('data', () => call.cancel()));
    const { error } = await collect(call);
    expect(error?.code).toBe(status.CANCELLED);
    const span = await waitFor(() => tracing.spans('stream grpc')[0]);
    expect(span.attributes['streamtrace.stream.outcome']).toBe('cancel');
    expect(span.events.map((e) => e.name)).toContain('stream.cancel');
  });

  it('fail ends the call with the error status and marks the span ERROR', async () => {
    const { error } = await collect(callChat({ message: 'hi', mode: 'fail' }, browserMetadata()));
    expect(error?.code).toBe(status.UNAVAILABLE);
    expect(error?.details).toBe('model unavailable');
    const span = await waitFor(() => tracing.spans('stream grpc')[0]);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('model_error');
  });

  it('refuses a repeated traceparent in metadata and starts a new trace', async () => {
    const metadata = new Metadata();
    metadata.add('traceparent', BROWSER_TRACEPARENT);
    metadata.add('traceparent', BROWSER_TRACEPARENT);
    await collect(callChat({ message: 'hi' }, metadata));
    const span = await waitFor(() => tracing.spans('stream grpc')[0]);
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.spanContext().traceId).not.toBe(BROWSER_TRACE_ID);
  });
});
