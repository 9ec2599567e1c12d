import type { OtlpResourceSpans } from './otlp-types';
import { parseTraceResponse } from './trace-shapes';
import { parseTraceListing } from './trace-listing';
import type { TraceListItem } from './trace-listing';

export interface BackfillOptions {
  baseUrl: string;
  fetch: typeof fetch;
  limit: number;
  /** One trace by id (the per-trace path: collectors without the bulk answer, or what it left out). */
  fetchOne: (traceId: string) => Promise<OtlpResourceSpans[] | undefined>;
  emit: (resourceSpans: OtlpResourceSpans[]) => void;
  /**
   * When given and the collector's list carries rows (`status`, `message`, …), the backfill hands
   * them over (newest first) and loads no spans: the panel fetches a trace's spans when it opens it.
   */
  emitListing?: (traces: TraceListItem[]) => void;
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

/** A listed trace as the backfill needs it. */
export interface Listed {
  traceId: string;
  spanCount: number;
}

function listed(body: unknown): Listed[] | undefined {
  const traces = (body as { traces?: unknown } | null)?.traces;
  if (!Array.isArray(traces)) return undefined;
  const out: Listed[] = [];
  for (const trace of traces as Array<{ traceId?: unknown; spanCount?: unknown } | null>) {
    if (typeof trace?.traceId !== 'string') continue;
    out.push({ traceId: trace.traceId, spanCount: typeof trace.spanCount === 'number' && trace.spanCount > 0 ? trace.spanCount : 1 });
  }
  return out;
}

function parsePage(body: { spansTraces?: unknown; truncated?: unknown }): BulkPage {
  const ids = listed(body)?.map((trace) => trace.traceId);
  const resourceSpans = parseTraceResponse(body);
  if (!ids || !resourceSpans || typeof body.spansTraces !== 'number') return { ids: ids ?? [], spansTraces: 0, truncated: true };
  const spansTraces = Math.max(0, Math.min(ids.length, Math.floor(body.spansTraces)));
  return { ids, resourceSpans, spansTraces, truncated: body.truncated === true || spansTraces < ids.length };
}

async function fetchPage(options: Pick<BackfillOptions, 'baseUrl' | 'fetch'>, limit: number, offset: number): Promise<BulkPage | undefined> {
  const response = await options.fetch(`${options.baseUrl}/api/traces?limit=${limit}&spans=1${offset ? `&offset=${offset}` : ''}`, JSON_ACCEPT).catch(() => undefined);
  if (!response?.ok) return undefined;
  return parsePage((await response.json()) as { spansTraces?: unknown; truncated?: unknown });
}

/**
 * A bulk request asks for at most this many traces and, past its first trace, this many spans:
 * small answers parse quickly, the panel shows each while the next loads, and the last (newest)
 * one, whose handling is what the user waits for at the end, stays small.
 */
export const BULK_PAGE_TRACES = 100;
export const BULK_PAGE_SPANS = 2000;

/** [offset, limit] ranges of the newest-first list, the oldest range first. */
export function pageRanges(traces: readonly Listed[]): Array<[offset: number, limit: number]> {
  const ranges: Array<[number, number]> = [];
  let end = traces.length;
  while (end > 0) {
    let start = end - 1;
    let spans = traces[start]!.spanCount;
    while (start > 0 && end - start < BULK_PAGE_TRACES && spans + traces[start - 1]!.spanCount <= BULK_PAGE_SPANS) {
      start -= 1;
      spans += traces[start]!.spanCount;
    }
    ranges.push([start, end - start]);
    end = start;
  }
  return ranges;
}

/** Loads listed traces [offset, offset + limit) with their spans; parts newest first. */
async function loadRange(options: BackfillOptions, offset: number, limit: number, covered: Set<string>): Promise<{ parts: OtlpResourceSpans[][]; bulk: boolean }> {
  const parts: OtlpResourceSpans[][] = [];
  while (limit > 0 && !options.stopped()) {
    const page = await fetchPage(options, limit, offset).catch(() => undefined);
    if (!page?.resourceSpans) return { parts, bulk: false };
    parts.push(page.resourceSpans);
    for (const id of page.ids.slice(0, page.spansTraces)) covered.add(id);
    // Truncated at the collector's size bound: the rest of the range comes with the next offset.
    if (!page.truncated || page.spansTraces === 0) break;
    offset += page.spansTraces;
    limit -= page.spansTraces;
  }
  return { parts, bulk: true };
}

/** The newest traces whose spans come right after a listing: about a screenful of the list. */
export const PREFETCH_TRACES = 20;

/**
 * How many of `traces` (newest first) are prefetched: up to `maxTraces` and BULK_PAGE_SPANS
 * spans; with `alwaysFirst`, the first one however large (the message just sent is the one most
 * often opened).
 */
export function prefetchCount(traces: readonly Listed[], alwaysFirst = true, maxTraces = PREFETCH_TRACES): number {
  let count = 0;
  let spans = 0;
  for (const trace of traces) {
    if (count >= maxTraces || ((count > 0 || !alwaysFirst) && spans + trace.spanCount > BULK_PAGE_SPANS)) break;
    count += 1;
    spans += trace.spanCount;
  }
  return count;
}

/** A bulk answer asked for now and read (parsed) only when the caller is ready for it. */
export type PendingPage = () => Promise<BulkPage | undefined>;

/**
 * `GET /api/traces?limit=1&spans=1`, sent at once (beside the list request, before the list is
 * known): the newest trace with its spans. Nothing is parsed until the returned function is called.
 */
export function requestNewest(options: Pick<BackfillOptions, 'baseUrl' | 'fetch'>): PendingPage {
  const response = options.fetch(`${options.baseUrl}/api/traces?limit=1&spans=1`, JSON_ACCEPT).catch(() => undefined);
  return async () => {
    const answer = await response;
    if (!answer?.ok) return undefined;
    return parsePage((await answer.json()) as { spansTraces?: unknown; truncated?: unknown });
  };
}

/** Spans handed to the panel per task while prefetching: a 5,000-span trace is not one long task. */
export const PREFETCH_SLICE_SPANS = 500;

/** The same spans in pieces of at most `maxSpans` (≥ 1), in order, each keeping its resource and scope. */
export function sliceResourceSpans(resourceSpans: OtlpResourceSpans[], maxSpans: number): OtlpResourceSpans[][] {
  const slices: OtlpResourceSpans[][] = [];
  let current: OtlpResourceSpans[] = [];
  let size = 0;
  const flush = (): void => {
    if (current.length) slices.push(current);
    current = [];
    size = 0;
  };
  for (const resource of resourceSpans) {
    for (const scope of resource.scopeSpans ?? []) {
      const spans = scope.spans ?? [];
      for (let start = 0; start < spans.length; ) {
        const take = spans.slice(start, start + maxSpans - size);
        current.push({ ...resource, scopeSpans: [{ ...scope, spans: take }] });
        size += take.length;
        start += take.length;
        if (size >= maxSpans) flush();
      }
    }
  }
  flush();
  return slices;
}

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Emits the spans in slices, one task each, so input and rendering go on in between. */
async function emitSliced(emit: (resourceSpans: OtlpResourceSpans[]) => void, stopped: () => boolean, resourceSpans: OtlpResourceSpans[]): Promise<void> {
  for (const slice of sliceResourceSpans(resourceSpans, PREFETCH_SLICE_SPANS)) {
    if (stopped()) return;
    emit(slice);
    await nextTask();
  }
}

/**
 * The spans of the newest listed traces: the newest from `newest` (when it is the list's newest),
 * emitted first, then the rest of a screenful in one bulk answer (`GET /api/traces?limit=K&offset=&spans=1`),
 * oldest first. Resolves with the trace ids whose spans were emitted.
 */
export async function prefetchNewest(options: Pick<BackfillOptions, 'baseUrl' | 'fetch' | 'emit' | 'stopped'>, traces: readonly Listed[], newest?: PendingPage): Promise<Set<string>> {
  const covered = new Set<string>();
  let skip = 0;
  const first = newest ? await newest().catch(() => undefined) : undefined;
  if (first?.resourceSpans && first.spansTraces > 0 && !options.stopped()) {
    await emitSliced(options.emit, options.stopped, first.resourceSpans);
    covered.add(first.ids[0]!);
    if (first.ids[0] === traces[0]?.traceId) skip = 1;
  }
  const count = prefetchCount(traces.slice(skip), skip === 0, PREFETCH_TRACES - skip);
  if (!count) return covered;
  const { parts } = await loadRange({ ...options, limit: count, fetchOne: async () => undefined }, skip, count, covered);
  for (const part of parts.reverse()) await emitSliced(options.emit, options.stopped, part.reverse());
  return covered;
}

/**
 * Loads the most recent traces: the list (`GET /api/traces?limit=N`); when its summaries carry the
 * list rows and the caller takes them (`emitListing`), that is all. Otherwise their spans in pages
 * (`GET /api/traces?limit=&offset=&spans=1`, see `pageRanges`), the oldest page first and the
 * next page requested while the current one is handed to the panel. Everything is emitted oldest
 * first, so the panel's store, which drops the traces it saw first, keeps the newest. Traces the
 * bulk answers left out (a collector without them, a failed page, a list that moved meanwhile)
 * are fetched one by one, 4 at a time.
 */
export async function backfillTraces(options: BackfillOptions): Promise<void> {
  const response = await options.fetch(`${options.baseUrl}/api/traces?limit=${options.limit}`, JSON_ACCEPT);
  if (!response.ok) return;
  const body: unknown = await response.json();
  const listing = options.emitListing ? parseTraceListing(body) : undefined;
  if (listing) {
    if (!options.stopped()) options.emitListing!(listing);
    return;
  }
  const traces = listed(body) ?? [];
  const ids = traces.map((trace) => trace.traceId);
  const ranges = pageRanges(traces);
  const covered = new Set<string>();
  let next = ranges[0] ? loadRange(options, ...ranges[0], covered) : undefined;
  for (let i = 0; next && !options.stopped(); i++) {
    const { parts, bulk } = await next;
    const after = ranges[i + 1];
    next = bulk && after ? loadRange(options, ...after, covered) : undefined;
    // Each trace's resource groups are contiguous in an answer: reversed, the oldest trace comes first.
    for (const part of parts.reverse()) if (part.length && !options.stopped()) options.emit(part.reverse());
  }

  const queue = ids.filter((id) => !covered.has(id)).reverse();
  const worker = async (): Promise<void> => {
    for (let id = queue.shift(); id !== undefined && !options.stopped(); id = queue.shift()) {
      const resourceSpans = await options.fetchOne(id).catch(() => undefined);
      if (resourceSpans?.length) options.emit(resourceSpans);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}
