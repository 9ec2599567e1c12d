import type { AdapterStatus, FetchTraceOptions, PanelAdapter, PanelEvent } from './adapter';
import { createListenerSet } from './listeners';
import type { ChunkSeries, OtlpResourceLogs, OtlpResourceSpans } from './otlp-types';
import type { DashboardSummary } from './dashboard-types';
import type { TraceListItem } from './trace-listing';

export interface InMemoryAdapter extends PanelAdapter {
  pushSpans(resourceSpans: OtlpResourceSpans[]): void;
  pushChunks(series: ChunkSeries): void;
  /** Traces listed without spans (oldest first), as the dev collector's adapter sends them. */
  pushListing(traces: TraceListItem[]): void;
  setStatus(status: AdapterStatus): void;
  /** What fetchTrace answers for a trace id (the "backend" of this adapter). */
  setBackendTrace(traceId: string, resourceSpans: OtlpResourceSpans[]): void;
  /** What fetchLogs answers for a trace id. */
  setBackendLogs(traceId: string, resourceLogs: OtlpResourceLogs[]): void;
  /** What fetchDashboard answers; without one the adapter has no dashboard. */
  setDashboard(summary: DashboardSummary): void;
  readonly clearCalls: number;
}

/** For UI tests and demos: events are delivered synchronously to subscribers. */
export function createInMemoryAdapter(initial?: Partial<AdapterStatus>): InMemoryAdapter {
  const listeners = createListenerSet();
  const backend = new Map<string, OtlpResourceSpans[]>();
  const logs = new Map<string, OtlpResourceLogs[]>();
  let dashboard: DashboardSummary | undefined;
  let status: AdapterStatus = { state: 'connected', source: 'in-memory', ...initial };
  let clearCalls = 0;
  const emit = (event: PanelEvent): void => listeners.emit(event);
  const adapter: InMemoryAdapter = {
    subscribe: (listener) => listeners.add(listener),
    async fetchTrace(traceId: string, options?: FetchTraceOptions) {
      const found = backend.get(traceId);
      if (found) options?.onProgress?.(found);
      return found;
    },
    status: () => status,
    clear() {
      clearCalls += 1;
    },
    pushSpans: (resourceSpans) => emit({ type: 'spans', resourceSpans }),
    pushChunks: (series) => emit({ type: 'chunks', series }),
    pushListing: (traces) => emit({ type: 'listed', traces }),
    setStatus(next) {
      status = next;
      emit({ type: 'status', status: next });
    },
    setBackendTrace(traceId, resourceSpans) {
      backend.set(traceId, resourceSpans);
    },
    setBackendLogs(traceId, resourceLogs) {
      logs.set(traceId, resourceLogs);
    },
    setDashboard(summary) {
      dashboard = summary;
      adapter.fetchDashboard = async () => dashboard!;
    },
    fetchLogs: async (traceId: string) => logs.get(traceId),
    get clearCalls() {
      return clearCalls;
    },
  };
  return adapter;
}
