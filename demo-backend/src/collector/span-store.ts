import { ResourceScopeGroups } from './grouping.js';
import { createBodyCache } from './store-body-cache.js';
import { createInterner, internSpan } from './store-intern.js';
import { summarizeTrace } from './trace-summary.js';
import type { ResourceSpans, Span, TracesData } from './otlp-types.js';
import type { TraceSummary } from './trace-summary.js';

interface TraceEntry {
  groups: ResourceScopeGroups<Span>;
  spanIds: Set<string>;
  updatedAtMs: number;
  /** Earliest span start, kept on add so listing can sort without summarizing every trace. */
  startNs: bigint;
  summary?: TraceSummary;
}

export interface TraceQuery {
  limit?: number;
  service?: string;
  sessionId?: string;
  messageId?: string;
  /** Epoch ms: only traces that received spans at or after this time. */
  since?: number;
}

export interface SpanStoreStats {
  spans: number;
  traces: number;
  maxSpans: number;
  evictedSpans: number;
  evictedTraces: number;
}

export interface SpanStore {
  /** Stores the spans; returns those that were new (repeated span ids are ignored). */
  add(data: TracesData): TracesData;
  get(traceId: string): TracesData | undefined;
  /** The trace as OTLP JSON bytes (`{"resourceSpans":[...]}`), cached until the trace changes. */
  getJson(traceId: string): Buffer | undefined;
  list(query?: TraceQuery): TraceSummary[];
  stats(): SpanStoreStats;
}

export function toResourceSpans(groups: ResourceScopeGroups<Span>): ResourceSpans[] {
  return groups.groups().map((group) => {
    const rs: ResourceSpans = {
      resource: group.resource,
      scopeSpans: group.scopes.map((scope) => {
        const ss: ResourceSpans['scopeSpans'][number] = { scope: scope.scope, spans: [...scope.items] };
        if (scope.schemaUrl) ss.schemaUrl = scope.schemaUrl;
        return ss;
      }),
    };
    if (group.schemaUrl) rs.schemaUrl = group.schemaUrl;
    return rs;
  });
}

/**
 * In-memory spans indexed by trace id. The span bound protects the dev machine's memory: when it
 * is exceeded, whole traces are evicted in the order they first arrived, so a trace is never
 * served half-evicted.
 */
export function createSpanStore(options: { maxSpans: number; now?: () => number; maxCachedBodyBytes?: number }): SpanStore {
  const maxSpans = Math.max(1, Math.floor(options.maxSpans));
  const bodies = createBodyCache(options.maxCachedBodyBytes ?? 32 * 1024 * 1024);
  const now = options.now ?? Date.now;
  const traces = new Map<string, TraceEntry>();
  let spanCount = 0;
  let evictedSpans = 0;
  let evictedTraces = 0;
  const interner = createInterner();

  const evict = (): void => {
    for (const [traceId, entry] of traces) {
      if (spanCount <= maxSpans) break;
      traces.delete(traceId);
      bodies.delete(traceId);
      spanCount -= entry.spanIds.size;
      evictedSpans += entry.spanIds.size;
      evictedTraces++;
    }
  };

  const summaryOf = (traceId: string, entry: TraceEntry): TraceSummary => {
    entry.summary ??= summarizeTrace(traceId, entry.groups.groups(), entry.updatedAtMs);
    return entry.summary;
  };

  return {
    add(data) {
      const fresh = new ResourceScopeGroups<Span>();
      const at = now();
      for (const rs of data.resourceSpans) {
        for (const ss of rs.scopeSpans) {
          for (const span of ss.spans) {
            let entry = traces.get(span.traceId);
            if (!entry) {
              entry = { groups: new ResourceScopeGroups<Span>(), spanIds: new Set(), updatedAtMs: at, startNs: BigInt(span.startTimeUnixNano) };
              traces.set(span.traceId, entry);
            }
            if (entry.spanIds.has(span.spanId)) continue;
            entry.spanIds.add(span.spanId);
            internSpan(span, interner);
            entry.groups.add(rs.resource, rs.schemaUrl, ss.scope, ss.schemaUrl, span);
            entry.updatedAtMs = at;
            const startNs = BigInt(span.startTimeUnixNano);
            if (startNs < entry.startNs) entry.startNs = startNs;
            delete entry.summary;
            bodies.delete(span.traceId);
            fresh.add(rs.resource, rs.schemaUrl, ss.scope, ss.schemaUrl, span);
            spanCount++;
          }
        }
      }
      evict();
      return { resourceSpans: toResourceSpans(fresh) };
    },

    get(traceId) {
      const entry = traces.get(traceId);
      return entry ? { resourceSpans: toResourceSpans(entry.groups) } : undefined;
    },

    getJson(traceId) {
      const entry = traces.get(traceId);
      if (!entry) return undefined;
      let body = bodies.get(traceId);
      if (body === undefined) {
        body = Buffer.from(JSON.stringify({ resourceSpans: toResourceSpans(entry.groups) }));
        bodies.set(traceId, body);
      }
      return body;
    },

    list(query = {}) {
      const limit = Math.max(0, query.limit ?? 100);
      const needsSummary = query.service !== undefined || query.sessionId !== undefined || query.messageId !== undefined;
      const candidates: Array<[string, TraceEntry]> = [];
      for (const item of traces) {
        if (query.since !== undefined && item[1].updatedAtMs < query.since) continue;
        candidates.push(item);
      }
      candidates.sort(([, a], [, b]) => (b.startNs > a.startNs ? 1 : b.startNs < a.startNs ? -1 : 0));
      const matches: TraceSummary[] = [];
      for (const [traceId, entry] of candidates) {
        if (matches.length >= limit) break;
        const summary = summaryOf(traceId, entry);
        if (needsSummary) {
          if (query.service !== undefined && !summary.services.includes(query.service)) continue;
          if (query.sessionId !== undefined && summary.sessionId !== query.sessionId) continue;
          if (query.messageId !== undefined && summary.messageId !== query.messageId) continue;
        }
        matches.push(summary);
      }
      return matches;
    },

    stats() {
      return { spans: spanCount, traces: traces.size, maxSpans, evictedSpans, evictedTraces };
    },
  };
}
