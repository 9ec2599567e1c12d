// Hosts the guide's gRPC snippet (a module exporting `streamChat` and `outgoingMetadata`) in a real
// @grpc/grpc-js server. Loaded after the guide's tracing setup; prints SNIPPET_LISTENING and
// SNIPPET_METADATA lines for the runner.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import grpc from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';
import { trace } from '@opentelemetry/api';

export const PROTO = {
  nested: {
    docs: {
      nested: {
        Chat: { methods: { StreamChat: { requestType: 'ChatRequest', responseType: 'ChatChunk', responseStream: true } } },
        ChatRequest: { fields: { message: { type: 'string', id: 1 } } },
        ChatChunk: { fields: { text: { type: 'string', id: 1 } } },
      },
    },
  },
};

export function chatService() {
  return grpc.loadPackageDefinition(fromJSON(PROTO)).docs.Chat;
}

if (process.env.SNIPPET_MODULE) {
  const snippet = await import(pathToFileURL(resolve(process.env.SNIPPET_MODULE)).href);

  // Client side of the snippet: inside an active span, the metadata must carry that span's context.
  const metadata = trace.getTracer('docs').startActiveSpan('client', (span) => {
    const md = snippet.outgoingMetadata();
    span.end();
    return { traceparent: md.get('traceparent')[0], traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
  });
  process.stdout.write(`SNIPPET_METADATA ${JSON.stringify(metadata)}\n`);

  const server = new grpc.Server();
  server.addService(chatService().service, { StreamChat: snippet.streamChat });
  server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => {
    if (error) throw error;
    process.stdout.write(`SNIPPET_LISTENING ${JSON.stringify({ address: '127.0.0.1', port })}\n`);
  });
}
