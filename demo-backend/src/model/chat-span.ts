import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { Context, Span } from '@opentelemetry/api';
import type { ChatRequest } from './request.js';

export const PROVIDER_NAME = 'streamtrace.sim';
const tracer = trace.getTracer('streamtrace-demo/model-service');

export interface ChatSpanResult {
  outcome: 'complete' | 'cancel' | 'error';
  outputTokens: number;
  finishReason?: string;
  errorType?: string;
  errorMessage?: string;
}

export interface ChatSpan {
  span: Span;
  context: Context;
  firstChunk(): void;
  /** Ends the span; later calls do nothing, so every path can call it safely. */
  end(result: ChatSpanResult): void;
}

/** The model's own `chat {model}` span, a child of the HTTP server span. */
export function startChatSpan(request: ChatRequest, inputTokens: number, responseId: string): ChatSpan {
  const span = tracer.startSpan(`chat ${request.model}`, {
    kind: SpanKind.INTERNAL,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': PROVIDER_NAME,
      'gen_ai.request.model': request.model,
      'gen_ai.request.stream': request.stream,
      'gen_ai.response.model': request.model,
      'gen_ai.response.id': responseId,
      'gen_ai.usage.input_tokens': inputTokens,
      'streamtrace.fault': request.fault ?? 'none',
      ...(request.maxTokens ? { 'gen_ai.request.max_tokens': request.maxTokens } : {}),
    },
  });
  const startedAt = performance.now();
  let ended = false;
  let firstSeen = false;
  return {
    span,
    context: trace.setSpan(context.active(), span),
    firstChunk() {
      if (firstSeen) return;
      firstSeen = true;
      span.setAttribute('gen_ai.response.time_to_first_chunk', (performance.now() - startedAt) / 1000);
      span.addEvent('gen_ai.first_chunk');
    },
    end(result) {
      if (ended) return;
      ended = true;
      span.setAttributes({
        'gen_ai.usage.output_tokens': result.outputTokens,
        'streamtrace.stream.outcome': result.outcome,
      });
      if (result.finishReason) span.setAttribute('gen_ai.response.finish_reasons', [result.finishReason]);
      if (result.outcome === 'cancel') span.addEvent('stream.cancel', { 'streamtrace.cancel.reason': 'client disconnected' });
      if (result.outcome === 'error') {
        span.setAttribute('error.type', result.errorType ?? '_OTHER');
        span.addEvent('stream.error', { 'error.type': result.errorType ?? '_OTHER' });
        span.setStatus({ code: SpanStatusCode.ERROR, message: result.errorMessage ?? result.errorType ?? 'error' });
      }
      span.end();
    },
  };
}
