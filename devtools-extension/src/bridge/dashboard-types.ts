// The dev collector's `GET /api/dashboard` answer (docs/collector.md); every field is checked by
// parseDashboard before the UI reads it.

export interface Percentiles {
  count: number;
  p50: number | null;
  p95: number | null;
}

export interface ErrorLayer {
  layer: string;
  service: string;
  spanName: string;
  count: number;
  rate: number;
}

export interface SlowMessage {
  traceId: string;
  messageId: string | null;
  ttftVisibleMs: number | null;
  durationMs: number | null;
  outcome: string | null;
  /** `layer` is a layer name (reason `largest`) or `service/span name` (reason `error`). */
  responsible: { layer: string; reason: string; ms?: number } | null;
}

export interface DashboardSummary {
  windowSeconds: number;
  messages: number;
  ttftVisibleMs: Percentiles;
  layers: Record<string, Percentiles>;
  errors: { failedMessages: number; rate: number; byLayer: ErrorLayer[] };
  outcomes: Record<string, number>;
  slowest: SlowMessage[];
  /** Failed messages, newest first (absent from older collectors). */
  recentFailures?: SlowMessage[];
}
