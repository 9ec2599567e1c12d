import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'node:http';
import { context } from '@opentelemetry/api';
import { Inject, Injectable, Module } from '@nestjs/common';
import type { CallHandler, DynamicModule, ExecutionContext, NestInterceptor, OnApplicationBootstrap } from '@nestjs/common';
import { SSE_METADATA } from '@nestjs/common/constants.js';
import { APP_INTERCEPTOR, HttpAdapterHost, Reflector } from '@nestjs/core';
import { Observable } from 'rxjs';
import { joinQueryContext } from '../context/join-query.js';
import type { DeltaEventOptions } from '../stream/delta-sampler.js';
import { startStreamSpan } from '../stream/stream-span.js';
import type { StreamSpan } from '../stream/stream-span.js';
import { enterRequest } from './request-scope.js';

export { requestScope } from './request-scope.js';
export type { RequestScope } from './request-scope.js';

export interface StreamtraceNestOptions {
  /** Which `@Sse()` emissions are deltas; default: all but those whose `data.type` is set and not `'delta'`. */
  isDelta?: (message: unknown) => boolean;
  deltaEvents?: DeltaEventOptions;
}

const reflector = new Reflector();

/**
 * Runs every handler in its request's trace context (session/message ids in baggage and on the
 * HTTP server span) and traces `@Sse()` handlers with a `stream sse` span: each emission is counted,
 * completion completes it, an error fails it, a client that leaves cancels it.
 */
export class StreamtraceInterceptor implements NestInterceptor {
  constructor(private readonly options: StreamtraceNestOptions = {}) {}

  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (execution.getType() !== 'http') return next.handle();
    const http = execution.switchToHttp();
    const req = nodeRequest(http.getRequest());
    const res = nodeResponse(http.getResponse());
    const scope = enterRequest(req, res);
    if (!reflector.get<boolean | undefined>(SSE_METADATA, execution.getHandler())) {
      return runIn(scope.context, next.handle());
    }
    const stream = startStreamSpan({
      transport: 'sse',
      parent: scope.context,
      sessionId: scope.request.sessionId,
      messageId: scope.request.messageId,
      deltaEvents: this.options.deltaEvents,
    });
    if (!res.headersSent) for (const [name, value] of Object.entries(stream.responseHeaders())) res.setHeader(name, value);
    return traceEmissions(runIn(stream.context, next.handle()), stream, this.options.isDelta ?? defaultIsDelta);
  }
}
Injectable()(StreamtraceInterceptor);

/**
 * `imports: [StreamtraceModule]` (or `StreamtraceModule.forRoot(options)`): installs
 * `StreamtraceInterceptor` for the whole app and joins query-parameter context on the HTTP server.
 */
export class StreamtraceModule implements OnApplicationBootstrap {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  static forRoot(options: StreamtraceNestOptions = {}): DynamicModule {
    return {
      module: StreamtraceModule,
      providers: [{ provide: APP_INTERCEPTOR, useValue: new StreamtraceInterceptor(options) }],
    };
  }

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (server && typeof server.emit === 'function') joinQueryContext(server);
  }
}
// Decorators applied as calls: this package is compiled without `experimentalDecorators`.
Inject(HttpAdapterHost)(StreamtraceModule, undefined, 0);
Module({ providers: [{ provide: APP_INTERCEPTOR, useValue: new StreamtraceInterceptor() }] })(StreamtraceModule);

function runIn<T>(ctx: ReturnType<typeof context.active>, source: Observable<T>): Observable<T> {
  return new Observable<T>((subscriber) => context.with(ctx, () => source.subscribe(subscriber)));
}

function traceEmissions<T>(source: Observable<T>, stream: StreamSpan, isDelta: (message: unknown) => boolean): Observable<T> {
  return new Observable<T>((subscriber) => {
    const subscription = source.subscribe({
      next(message) {
        if (isDelta(message)) stream.delta(messageBytes(message));
        else stream.eventSent();
        subscriber.next(message);
      },
      error(error: unknown) {
        stream.fail(error);
        subscriber.error(error);
      },
      complete() {
        stream.complete();
        subscriber.complete();
      },
    });
    // Unsubscribed before completion or error: Nest does that when the client disconnects.
    return () => {
      subscription.unsubscribe();
      stream.cancel('client closed');
    };
  });
}

function defaultIsDelta(message: unknown): boolean {
  const data = (message as { data?: unknown } | null)?.data;
  if (data === null || typeof data !== 'object' || !('type' in data)) return true;
  return (data as { type: unknown }).type === 'delta';
}

function messageBytes(message: unknown): number {
  const data = (message as { data?: unknown } | null)?.data ?? message;
  try {
    return Buffer.byteLength(typeof data === 'string' ? data : (JSON.stringify(data) ?? ''));
  } catch {
    return 0;
  }
}

// Nest on Fastify hands out wrappers; the raw Node objects sit in `.raw`.
function nodeRequest(req: unknown): IncomingMessage {
  return ((req as { raw?: IncomingMessage }).raw ?? req) as IncomingMessage;
}
function nodeResponse(res: unknown): ServerResponse {
  return ((res as { raw?: ServerResponse }).raw ?? res) as ServerResponse;
}
