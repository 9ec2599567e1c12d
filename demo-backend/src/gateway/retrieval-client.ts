import { SpanKind, context, trace } from '@opentelemetry/api';
import { isRecord } from '../shared/json-body.js';
import { endClientSpan, errorType, serverAttributes } from './client-span.js';
import type { GatewayConfig } from './config.js';
import { recordRetrieval } from './metrics.js';
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
  const started = performance.now();
  try {
    const passages = await context.with(trace.setSpan(context.active(), span), () => search(config, query, options));
    span.setAttribute('gen_ai.retrieval.documents', JSON.stringify(passages.map(({ id, score }) => ({ id, score }))));
    endClientSpan(span);
    recordRetrieval((performance.now() - started) / 1000, { dataSourceId: config.dataSourceId });
    return passages;
  } catch (error) {
    const final = options.signal.aborted ? new CancelledError() : error;
    endClientSpan(span, final);
    if (!(final instanceof CancelledError)) {
      recordRetrieval((performance.now() - started) / 1000, { dataSourceId: config.dataSourceId, errorType: errorType(final) });
    }
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
