import type { ChunkSeries, OtlpResourceLogs, OtlpResourceSpans } from './otlp-types';
import type { DashboardSummary } from './dashboard-types';
import type { TraceListItem } from './trace-listing';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

export interface AdapterStatus {
  state: ConnectionState;
  /** Human-readable source, e.g. "tab 12" or "collector http://127.0.0.1:4318". */
  source: string;
  detail?: string;
}

export type PanelEvent =
  | { type: 'spans'; resourceSpans: OtlpResourceSpans[] }
  | { type: 'chunks'; series: ChunkSeries }
  /**
   * Traces listed without their spans (oldest first): enough for the message list; the UI gets a
   * trace's spans with fetchTrace when it is opened. Spans that come later supersede the row.
   */
  | { type: 'listed'; traces: TraceListItem[] }
  | { type: 'status'; status: AdapterStatus }
  /** The inspected page navigated: the page-side buffer was cleared; shown data stays. */
  | { type: 'navigated' };

export interface FetchTraceOptions {
  signal?: AbortSignal;
  /** Called with every poll's answer while the trace is still settling. */
  onProgress?: (resourceSpans: OtlpResourceSpans[]) => void;
}

/** The one interface the panel UI uses to reach data; it never touches chrome.* or fetch itself. */
export interface PanelAdapter {
  subscribe(listener: (event: PanelEvent) => void): () => void;
  /** Backend spans of one trace from the query endpoint; undefined when it has none. */
  fetchTrace(traceId: string, options?: FetchTraceOptions): Promise<OtlpResourceSpans[] | undefined>;
  /**
   * Log records of one trace (the dev collector's `GET /api/logs/{traceId}`); undefined when the
   * source has no log store. Optional: adapters without logs leave it out.
   */
  fetchLogs?(traceId: string, signal?: AbortSignal): Promise<OtlpResourceLogs[] | undefined>;
  /** Recent messages summarised by the dev collector (`GET /api/dashboard`); only the collector adapter has it. */
  fetchDashboard?(options?: { windowSeconds?: number; slowest?: number; signal?: AbortSignal }): Promise<DashboardSummary>;
  status(): AdapterStatus;
  /** Drops whatever the source still buffers for this view (e.g. the extension's tab buffer). */
  clear?(): void;
  /** Points backend lookups at another query endpoint (Jaeger, Tempo or the dev collector). */
  setQueryEndpoint?(baseUrl: string): void;
  dispose?(): void;
}
