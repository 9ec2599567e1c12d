import { context, trace } from '@opentelemetry/api';
import type { Context, TextMapSetter } from '@opentelemetry/api';
import { W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { extractRequestContext } from '../context/extract.js';
import type { RequestContext } from '../context/extract.js';
import type { HeaderBag } from '../context/headers.js';
import { startStreamSpan } from '../stream/stream-span.js';
import type { StreamSpan, StreamSpanOptions } from '../stream/stream-span.js';

/** The part of `@grpc/grpc-js` `Metadata` used here. */
export interface MetadataLike {
  get(key: string): (string | Buffer)[];
  set(key: string, value: string): void;
}

/** The part of a grpc-js `ServerWritableStream` used here. */
export interface ServerStreamLike {
  readonly metadata: MetadataLike;
  readonly cancelled: boolean;
  getPath(): string;
  write(message: unknown): boolean;
  end(): void;
  emit(event: 'error', error: { code: number; details: string }): boolean;
  once(event: 'cancelled', listener: () => void): unknown;
  off(event: 'cancelled', listener: () => void): unknown;
}

export type TraceServerStreamOptions = Omit<StreamSpanOptions, 'transport' | 'sessionId' | 'messageId'>;

export interface TracedServerStream extends StreamSpan {
  request: RequestContext;
  /** Writes one message; `delta: true` counts it as a delta (bytes: its JSON length, or `bytes`). */
  write(message: unknown, options?: { delta?: boolean; bytes?: number }): boolean;
}

const CONTEXT_KEYS = ['traceparent', 'tracestate', 'baggage', 'x-session-id', 'x-message-id'];
// gRPC status INTERNAL, used when a failure carries no status code of its own.
const INTERNAL = 13;

/** Reads trace context and ids from gRPC metadata with the same strict rules as HTTP headers. */
export function extractGrpcContext(metadata: MetadataLike): RequestContext {
  const headers: HeaderBag = {};
  for (const key of CONTEXT_KEYS) {
    let values: string[] = [];
    try {
      values = metadata.get(key).filter((v): v is string => typeof v === 'string');
    } catch {
      // Unreadable metadata is treated as absent.
    }
    if (values.length > 0) headers[key] = values.length === 1 ? values[0] : values;
  }
  return extractRequestContext({ headers });
}

/**
 * Traces a server-streaming call as a `stream grpc` span (SERVER unless a gRPC instrumentation's
 * server span is active). `complete` ends the call with OK, `fail` with an error status, and a
 * client cancel ends the span as `cancel`.
 */
export function traceServerStream(call: ServerStreamLike, options: TraceServerStreamOptions = {}): TracedServerStream {
  const request = extractGrpcContext(call.metadata);
  const active = context.active();
  const local = trace.getSpanContext(active);
  const stream = startStreamSpan({
    ...options,
    transport: 'grpc',
    parent: options.parent ?? (local && !local.isRemote ? active : request.context),
    sessionId: request.sessionId,
    messageId: request.messageId,
    attributes: { 'rpc.system': 'grpc', 'rpc.method': call.getPath().replace(/^\//, ''), ...options.attributes },
  });
  const onCancelled = (): void => stream.cancel('client cancelled');
  call.once('cancelled', onCancelled);
  const detach = (): void => {
    call.off('cancelled', onCancelled);
  };
  return {
    ...stream,
    request,
    get ended() {
      return stream.ended;
    },
    write(message, writeOptions) {
      if (stream.ended || call.cancelled) return false;
      if (writeOptions?.delta) stream.delta(writeOptions.bytes ?? jsonBytes(message));
      else stream.eventSent();
      return call.write(message);
    },
    complete(attributes) {
      if (stream.ended) return;
      detach();
      stream.complete(attributes);
      call.end();
    },
    fail(error, errorType) {
      if (stream.ended) return;
      detach();
      stream.fail(error, errorType);
      const code = (error as { code?: unknown } | null)?.code;
      const details = error instanceof Error ? error.message : String(error);
      call.emit('error', { code: typeof code === 'number' ? code : INTERNAL, details });
    },
    cancel(reason) {
      detach();
      stream.cancel(reason);
    },
  };
}

const traceContext = new W3CTraceContextPropagator();
const baggage = new W3CBaggagePropagator();
const metadataSetter: TextMapSetter<MetadataLike> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

/** Client side: writes `traceparent`, `tracestate` and `baggage` of `ctx` (default: active) into metadata. */
export function injectGrpcMetadata<M extends MetadataLike>(metadata: M, ctx: Context = context.active()): M {
  traceContext.inject(ctx, metadata, metadataSetter);
  baggage.inject(ctx, metadata, metadataSetter);
  return metadata;
}

function jsonBytes(message: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(message) ?? '');
  } catch {
    return 0;
  }
}
