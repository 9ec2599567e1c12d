import type { OtlpResourceSpans } from './otlp-types';
import { parseTraceResponse } from './trace-shapes';

export interface BackfillOptions {
  baseUrl: string;
  fetch: typeof fetch;
  limit: number;
  /** One trace by id (the per-trace path: collectors without the bulk answer, or what it left out). */
  fetchOne: (traceId: string) => Promise<OtlpResourceSpans[] | undefined>;
  emit: (resourceSpans: OtlpResourceSpans[]) => void;
  stopped: () => boolean;
}

interface BulkPage {
  /** Listed trace ids, newest first. */
  ids: string[];
  /** Undefined when the collector answered the plain list (no bulk support). */
  resourceSpans?: OtlpResourceSpans[];
  /** Leading listed traces whose spans are in `resourceSpans`. */
  spansTraces: number;
  truncated: boolean;
}

const JSON_ACCEPT = { headers: { accept: 'application/json' } };

function listedIds(body: unknown): string[] | undefined {
  const traces = (body as { traces?: unknown } | null)?.traces;
  if (!Array.isArray(traces)) return undefined;
  return traces.map((trace) => (trace as { traceId?: unknown } | null)?.traceId).filter((id): id is string => typeof id === 'string');
}

async function fetchPage(options: BackfillOptions, limit: number, offset: number): Promise<BulkPage | undefined> {
  const response = await options.fetch(`${options.baseUrl}/api/traces?limit=${limit}&spans=1${offset ? `&offset=${offset}` : ''}`, JSON_ACCEPT).catch(() => undefined);
  if (!response?.ok) return undefined;
  const body = (await response.json()) as { spansTraces?: unknown; truncated?: unknown };
  const ids = listedIds(body);
  if (!ids) return undefined;
  const resourceSpans = parseTraceResponse(body);
  if (!resourceSpans || typeof body.spansTraces !== 'number') return { ids, spansTraces: 0, truncated: true };
  const spansTraces = Math.max(0, Math.min(ids.length, Math.floor(body.spansTraces)));
  return { ids, resourceSpans, spansTraces, truncated: body.truncated === true || spansTraces < ids.length };
}

/**
 * Loads the most recent traces: `GET /api/traces?limit=N&spans=1` brings their spans in one answer
 * (continued with `offset` while the collector says it was truncated at its size bound). Traces a
 * collector without that answer, or a failed page, left out are fetched one by one, 4 at a time.
 * Everything is emitted oldest first, so the panel's store, which drops the traces it saw first,
 * keeps the newest.
 */
export async function backfillTraces(options: BackfillOptions): Promise<void> {
  const pages: OtlpResourceSpans[][] = [];
  const covered = new Set<string>();
  let ids: string[] | undefined;
  for (let offset = 0; offset < options.limit && !options.stopped(); ) {
    const page = await fetchPage(options, options.limit - offset, offset);
    if (!page) break;
    if (offset === 0) ids = page.ids;
    if (!page.resourceSpans) break;
    pages.push(page.resourceSpans);
    for (const id of page.ids.slice(0, page.spansTraces)) covered.add(id);
    offset += page.spansTraces;
    if (!page.truncated || page.spansTraces === 0) break;
  }
  if (ids === undefined) {
    const response = await options.fetch(`${options.baseUrl}/api/traces?limit=${options.limit}`, JSON_ACCEPT);
    if (!response.ok) return;
    ids = listedIds(await response.json()) ?? [];
  }

  const queue = ids.filter((id) => !covered.has(id)).reverse();
  const worker = async (): Promise<void> => {
    for (let id = queue.shift(); id !== undefined && !options.stopped(); id = queue.shift()) {
      const resourceSpans = await options.fetchOne(id).catch(() => undefined);
      if (resourceSpans?.length) options.emit(resourceSpans);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);

  for (const page of pages.reverse()) {
    if (options.stopped()) return;
    // Each trace's resource groups are contiguous in the answer: reversed, the oldest trace comes first.
    if (page.length) options.emit(page.reverse());
  }
}
