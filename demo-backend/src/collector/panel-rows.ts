import type { TraceSummary } from './trace-summary.js';

// The message list embedded in the panel page (panel-page.ts), in a compact form: the summaries'
// fields the panel's list reads, by position, service names listed once. A 1,000-message list is
// ~205 KB instead of the ~535 KB of `GET /api/traces`, which the page has to decode, scan and parse
// before its first frame. Read by devtools-extension src/bridge/listing-rows.ts.

export const PANEL_ROWS_FORMAT = 'rows-1';

/**
 * `[traceId, rootName, serviceIndexes, spanCount, errorCount, startTimeUnixNano, status,
 * rootDurationMs, sessionId, messageId, message]`, absent values as null; `message` (chat messages
 * only) is `[startTimeUnixNano, conversationId, transport, ttftVisibleMs, chunks, preview]`.
 */
export type PanelRow = [string, string, number[], number, number, string, string, number | null, string | null, string | null, PanelMessage | null];
export type PanelMessage = [string | null, string | null, string | null, number | null, number | null, string | null];

export interface PanelRows {
  format: typeof PANEL_ROWS_FORMAT;
  lastEventId: number;
  services: string[];
  rows: PanelRow[];
}

export function panelRows(traces: readonly TraceSummary[], lastEventId: number): PanelRows {
  const services: string[] = [];
  const serviceIndex = new Map<string, number>();
  const indexOf = (service: string): number => {
    let index = serviceIndex.get(service);
    if (index === undefined) {
      index = services.push(service) - 1;
      serviceIndex.set(service, index);
    }
    return index;
  };
  const rows = traces.map((trace): PanelRow => {
    const message = trace.message;
    return [
      trace.traceId, trace.rootName, trace.services.map(indexOf), trace.spanCount, trace.errorCount, trace.startTimeUnixNano, trace.status,
      trace.rootDurationMs ?? null, trace.sessionId ?? null, trace.messageId ?? null,
      message
        ? [message.startTimeUnixNano ?? null, message.conversationId ?? null, message.transport ?? null, message.ttftVisibleMs ?? null, message.chunks ?? null, message.preview ?? null]
        : null,
    ];
  });
  return { format: PANEL_ROWS_FORMAT, lastEventId, services, rows };
}
