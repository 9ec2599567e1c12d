import { useEffect, useState } from 'preact/hooks';
import type { DashboardSummary, Percentiles, SlowMessage } from '../../bridge/dashboard-types';
import type { PanelAdapter } from '../../bridge/adapter';
import { formatMs } from '../format';

export interface DashboardProps {
  fetchDashboard: NonNullable<PanelAdapter['fetchDashboard']>;
  onOpenTrace: (traceId: string) => void;
  /** Between automatic refreshes while the tab is shown. */
  refreshMs?: number;
}

const WINDOWS: [number, string][] = [[300, 'last 5 min'], [3600, 'last hour'], [86_400, 'last 24 h']];
const LAYER_LABELS: Record<string, string> = {
  gateway: 'gateway',
  retrieval: 'retrieval',
  model: 'model first token',
  transport: 'transport (network, browser)',
  render: 'render',
};
const pct = (rate: number): string => `${(rate * 100).toFixed(rate > 0 && rate < 0.1 ? 1 : 0)}%`;
const ms = (value: number | null): string => (value === null ? '—' : formatMs(value));

/** Recent messages as the dev collector summarises them (`GET /api/dashboard`). */
export function Dashboard({ fetchDashboard, onOpenTrace, refreshMs = 5000 }: DashboardProps) {
  const [windowSeconds, setWindowSeconds] = useState(300);
  const [summary, setSummary] = useState<DashboardSummary | undefined>(undefined);
  const [error, setError] = useState('');
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    fetchDashboard({ windowSeconds, slowest: 10, signal: abort.signal })
      .then((next) => {
        if (abort.signal.aborted) return;
        setSummary(next);
        setError('');
      })
      .catch((reason: unknown) => {
        if (!abort.signal.aborted) setError(reason instanceof Error ? reason.message : String(reason));
      });
    const timer = setTimeout(() => setTick((n) => n + 1), refreshMs);
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [fetchDashboard, windowSeconds, tick, refreshMs]);

  const layerRow = (key: string, label: string, values: Percentiles) => (
    <tr key={key} data-layer={key}>
      <th scope="row">{label}</th>
      <td>{values.count}</td>
      <td class="mono">{ms(values.p50)}</td>
      <td class="mono">{ms(values.p95)}</td>
    </tr>
  );

  return (
    <div class="dashboard">
      <div class="dashboard-head">
        <select class="window-select" aria-label="Window" value={String(windowSeconds)} onChange={(event) => setWindowSeconds(Number((event.currentTarget as HTMLSelectElement).value))}>
          {WINDOWS.map(([seconds, label]) => <option key={seconds} value={String(seconds)}>{label}</option>)}
        </select>
        <button type="button" class="tb-button" onClick={() => setTick((n) => n + 1)}>Refresh</button>
        {summary ? (
          <span class="dashboard-totals">
            {`${summary.messages} messages · ${summary.errors.failedMessages} failed (${pct(summary.errors.rate)})`}
            {Object.entries(summary.outcomes).map(([outcome, count]) => ` · ${outcome} ${count}`).join('')}
          </span>
        ) : null}
        {error ? <span class="text-error">{error}</span> : null}
      </div>
      {summary ? (
        <div class="dashboard-grid">
          <section class="card">
            <h3>Time to first visible token</h3>
            <table class="dash-table ttft-table">
              <thead><tr><th /><th>n</th><th>p50</th><th>p95</th></tr></thead>
              <tbody>
                {layerRow('overall', 'overall', summary.ttftVisibleMs)}
                {Object.entries(summary.layers).map(([key, values]) => layerRow(key, LAYER_LABELS[key] ?? key, values))}
              </tbody>
            </table>
          </section>
          <section class="card">
            <h3>Errors by layer</h3>
            {summary.errors.byLayer.length ? (
              <table class="dash-table errors-table">
                <thead><tr><th>layer (first error)</th><th>messages</th><th>rate</th></tr></thead>
                <tbody>
                  {summary.errors.byLayer.map((entry) => (
                    <tr key={entry.layer}>
                      <th scope="row" title={entry.layer}>{`${entry.service} / ${entry.spanName}`}</th>
                      <td>{entry.count}</td>
                      <td class="mono">{pct(entry.rate)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : <div class="empty small">No failed messages in this window.</div>}
          </section>
          <section class="card slowest-card">
            <h3>Slowest messages</h3>
            <MessageTable messages={summary.slowest} tableClass="slowest-table" empty="No messages in this window." onOpenTrace={onOpenTrace} />
          </section>
          <section class="card failures-card">
            <h3>Recent failures</h3>
            <MessageTable messages={summary.recentFailures ?? []} tableClass="failures-table" empty="No failed messages in this window." onOpenTrace={onOpenTrace} />
          </section>
        </div>
      ) : !error ? <div class="empty">Loading dashboard…</div> : null}
    </div>
  );
}

interface MessageTableProps {
  messages: SlowMessage[];
  tableClass: string;
  empty: string;
  onOpenTrace: (traceId: string) => void;
}

function MessageTable({ messages, tableClass, empty, onOpenTrace }: MessageTableProps) {
  if (!messages.length) return <div class="empty small">{empty}</div>;
  return (
    <table class={`dash-table ${tableClass}`}>
      <thead><tr><th>message</th><th>TTFT</th><th>duration</th><th>outcome</th><th>responsible</th></tr></thead>
      <tbody>
        {messages.map((message) => (
          <tr key={message.traceId} data-trace-id={message.traceId} class={message.outcome === 'error' ? 'is-error' : ''}>
            <th scope="row">
              <button type="button" class="link-button open-trace" title={`trace ${message.traceId}`} onClick={() => onOpenTrace(message.traceId)}>
                {message.messageId ?? message.traceId.slice(0, 16)}
              </button>
            </th>
            <td class="mono">{ms(message.ttftVisibleMs)}</td>
            <td class="mono">{ms(message.durationMs)}</td>
            <td>{message.outcome ?? '—'}</td>
            <td>
              {message.responsible
                ? `${LAYER_LABELS[message.responsible.layer] ?? message.responsible.layer}${message.responsible.reason === 'error' ? ' (error)' : message.responsible.ms !== undefined ? ` (${formatMs(message.responsible.ms)})` : ''}`
                : '—'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
