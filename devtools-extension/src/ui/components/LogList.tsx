import type { LogRow } from '../models/logs';
import { formatClock, formatMs } from '../format';

export interface LogListProps {
  rows: LogRow[];
  traceStartMs: number;
  /** Span ids present in the trace: only those get a link. */
  knownSpans: { has(spanId: string): boolean };
  selectedSpanId?: string;
  onSelectSpan: (spanId: string) => void;
}

/** The trace's log records beside its spans; every value is a text node. */
export function LogList({ rows, traceStartMs, knownSpans, selectedSpanId, onSelectSpan }: LogListProps) {
  return (
    <table class="log-table">
      <thead>
        <tr><th>time</th><th>severity</th><th>service</th><th>message</th><th>span</th></tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={index} class={`log-row sev-${row.severity.toLowerCase()}${row.spanId && row.spanId === selectedSpanId ? ' selected' : ''}`}>
            <td class="mono log-time" title={formatClock(row.timeMs)}>{`+${formatMs(row.timeMs - traceStartMs)}`}</td>
            <td class="log-severity">{row.severity}</td>
            <td class="log-service">{row.service}</td>
            <td class="log-body">{row.body}</td>
            <td>
              {row.spanId && knownSpans.has(row.spanId)
                ? <button type="button" class="link-button mono log-span" onClick={() => onSelectSpan(row.spanId!)}>{row.spanId.slice(0, 8)}</button>
                : <span class="muted mono">{row.spanId ? row.spanId.slice(0, 8) : '—'}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
