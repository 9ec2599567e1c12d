import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { SearchHit, VectorIndex } from './vector-index.js';

export interface SearchRequest {
  collection: string;
  query: string;
  topK: number;
  /** Extra latency inside the search, for the `slow` fault. */
  delayMs: number;
  fault?: string;
  captureContent: boolean;
}

const tracer = trace.getTracer('streamtrace-demo/vector-store');

/** Runs one query inside a `vector.search {collection}` span (docs/architecture.md). */
export async function tracedSearch(index: VectorIndex, request: SearchRequest): Promise<SearchHit[]> {
  return tracer.startActiveSpan(`vector.search ${request.collection}`, async (span) => {
    span.setAttributes({
      'db.system.name': 'streamtrace.vector',
      'db.collection.name': request.collection,
      'db.operation.name': 'search',
      'gen_ai.data_source.id': request.collection,
      'gen_ai.request.top_k': request.topK,
    });
    if (request.fault) span.setAttribute('streamtrace.fault', request.fault);
    if (request.captureContent) span.setAttribute('gen_ai.retrieval.query.text', request.query);
    try {
      if (request.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, request.delayMs));
      const hits = index.search(request.query, request.topK);
      span.setAttribute('gen_ai.retrieval.documents', JSON.stringify(hits.map(({ id, score }) => ({ id, score }))));
      span.setAttribute('db.response.returned_rows', hits.length);
      return hits;
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
      span.setAttribute('error.type', (error as Error).name || 'Error');
      throw error;
    } finally {
      span.end();
    }
  });
}
