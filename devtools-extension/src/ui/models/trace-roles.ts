import type { SpanRecord } from './span-record';
import { SPAN_KIND, numberAttr, stringAttr } from './span-record';

/** The spans of one chat trace that the breakdown and the message row read. */
export interface TraceRoles {
  message?: SpanRecord;
  stream?: SpanRecord;
  gatewayServer?: SpanRecord;
  gatewayStream?: SpanRecord;
  retrieval?: SpanRecord;
  chat?: SpanRecord;
}

const byStart = (a: SpanRecord, b: SpanRecord): number => a.startMs - b.startMs;

export function findRoles(spans: SpanRecord[]): TraceRoles {
  const sorted = [...spans].sort(byStart);
  const message = sorted.find((span) => span.name === 'chat.message');
  const streams = sorted.filter((span) => span.name === 'chat.stream');
  const stream = streams.find((span) => span.parentSpanId === message?.spanId) ?? streams[0];
  const browserService = stream?.serviceName ?? message?.serviceName;
  const servers = sorted.filter((span) => span.kind === SPAN_KIND.SERVER && span.serviceName !== browserService);
  const gatewayServer = servers.find((span) => stream && span.parentSpanId === stream.spanId) ?? servers[0];
  const gatewayService = gatewayServer?.serviceName;
  const inGateway = (span: SpanRecord): boolean => gatewayService === undefined || span.serviceName === gatewayService;
  const retrieval =
    sorted.find((span) => inGateway(span) && (span.name.startsWith('retrieval') || stringAttr(span, 'gen_ai.operation.name') === 'retrieval')) ??
    sorted.find((span) => span.name.startsWith('vector.search'));
  const chats = sorted.filter((span) => numberAttr(span, 'gen_ai.response.time_to_first_chunk') !== undefined);
  const chat = chats.find((span) => inGateway(span) && span.kind === SPAN_KIND.CLIENT) ?? chats.find(inGateway) ?? chats[0];
  const gatewayStream = sorted.find((span) => inGateway(span) && span.serviceName !== browserService && /^stream /.test(span.name));
  return { message, stream, gatewayServer, gatewayStream, retrieval, chat };
}
