import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { BodyError, isRecord, readJsonBody } from '../shared/json-body.js';
import { nameServerSpan } from '../shared/server-span.js';
import { tracedSearch } from './traced-search.js';
import type { VectorIndex } from './vector-index.js';

export interface VectorStoreOptions {
  index: VectorIndex;
  collection: string;
  /** Added to every search. */
  baseDelayMs: number;
  /** Added by the `slow` fault. */
  slowDelayMs: number;
  /** Fault applied when a request names none (`slow`, `fail` or undefined). */
  defaultFault?: string;
  captureContent: boolean;
  /** Request log lines (they carry the trace and request ids); none when absent. */
  logger?: Logger;
}

/** Most passages one query may ask for; keeps responses and span attributes small. */
const MAX_TOP_K = 20;
const SNIPPET_CHARS = 400;

export function createVectorStoreServer(options: VectorStoreOptions): Server {
  return createServer((req, res) => {
    handle(options, req, res).catch((error: unknown) => sendJson(res, 500, { error: String(error) }));
  });
}

async function handle(options: VectorStoreOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (req.method === 'GET' && (path === '/health' || path === '/api/health')) {
    sendJson(res, 200, { status: 'ok', collection: options.collection, passages: options.index.size });
    return;
  }
  if (req.method !== 'POST' || path !== '/search') {
    sendJson(res, 404, { error: 'not found' });
    return;
  }
  nameServerSpan(req.method, '/search');
  let body: unknown;
  try {
    body = await readJsonBody(req, 64 * 1024);
  } catch (error) {
    if (error instanceof BodyError) return sendJson(res, error.status, { error: error.message });
    throw error;
  }
  if (!isRecord(body) || typeof body['query'] !== 'string' || body['query'].trim() === '') {
    sendJson(res, 400, { error: 'body must be { query: string, topK?: number, fault?: "slow" | "fail" }' });
    return;
  }
  const topK = clampTopK(body['topK']);
  const fault = typeof body['fault'] === 'string' ? body['fault'] : options.defaultFault;
  if (fault === 'fail') {
    const span = trace.getActiveSpan();
    span?.setAttribute('streamtrace.fault', 'fail');
    span?.setStatus({ code: SpanStatusCode.ERROR, message: 'injected failure' });
    options.logger?.warn({ collection: options.collection, fault }, 'vector search refused (injected fault)');
    sendJson(res, 503, { error: 'vector store unavailable (injected fault)' });
    return;
  }
  const hits = await tracedSearch(options.index, {
    collection: options.collection,
    query: body['query'],
    topK,
    delayMs: options.baseDelayMs + (fault === 'slow' ? options.slowDelayMs : 0),
    ...(fault ? { fault } : {}),
    captureContent: options.captureContent,
  });
  options.logger?.info({ collection: options.collection, topK, hits: hits.map((hit) => hit.id), fault: fault ?? null }, 'vector search done');
  sendJson(res, 200, {
    collection: options.collection,
    results: hits.map((hit) => ({ id: hit.id, score: hit.score, title: hit.title, snippet: hit.text.slice(0, SNIPPET_CHARS) })),
  });
}

function clampTopK(value: unknown): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? Math.floor(value) : 3;
  return Math.min(MAX_TOP_K, Math.max(1, n));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
