import { SpanKind, context, trace } from '@opentelemetry/api';
import { isRecord } from '../shared/json-body.js';
import { endClientSpan, serverAttributes } from './client-span.js';
import type { GatewayConfig } from './config.js';
import { postJson, readBody } from './upstream-http.js';
import { CancelledError, UpstreamError } from './upstream-error.js';

export interface RetrievedPassage {
  id: string;
  score: number;
  title: string;
  snippet: string;
}

const tracer = trace.getTracer('streamtrace-demo/chat-gateway');

/** Asks the vector store for passages, inside a `retrieval {data source}` CLIENT span. */
export async function retrievePassages(
  config: GatewayConfig,
  query: string,
  options: { slow: boolean; signal: AbortSignal },
): Promise<RetrievedPassage[]> {
  const span = tracer.startSpan(`retrieval ${config.dataSourceId}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      'gen_ai.operation.name': 'retrieval',
      'gen_ai.data_source.id': config.dataSourceId,
      'gen_ai.request.top_k': config.topK,
      ...serverAttributes(config.vectorStoreUrl),
      ...(config.captureContent ? { 'gen_ai.retrieval.query.text': query } : {}),
    },
  });
  try {
    const passages = await context.with(trace.setSpan(context.active(), span), () => search(config, query, options));
    span.setAttribute('gen_ai.retrieval.documents', JSON.stringify(passages.map(({ id, score }) => ({ id, score }))));
    endClientSpan(span);
    return passages;
  } catch (error) {
    const final = options.signal.aborted ? new CancelledError() : error;
    endClientSpan(span, final);
    throw final;
  }
}

async function search(
  config: GatewayConfig,
  query: string,
  options: { slow: boolean; signal: AbortSignal },
): Promise<RetrievedPassage[]> {
  const res = await postJson(
    `${config.vectorStoreUrl}/search`,
    { query, topK: config.topK, ...(options.slow ? { fault: 'slow' } : {}) },
    { signal: options.signal, timeoutMs: config.retrievalTimeoutMs },
  );
  const text = await readBody(res);
  if (res.statusCode !== 200) {
    throw new UpstreamError('retrieval_error', `vector store answered ${res.statusCode}: ${text.slice(0, 200)}`, res.statusCode);
  }
  const body = JSON.parse(text) as unknown;
  const results = isRecord(body) && Array.isArray(body['results']) ? body['results'] : [];
  return results.filter(isRecord).map((r) => ({
    id: String(r['id']),
    score: Number(r['score']),
    title: String(r['title'] ?? r['id']),
    snippet: String(r['snippet'] ?? ''),
  }));
}
