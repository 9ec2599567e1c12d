import type { Breakdown, BreakdownKey } from '../models/breakdown';
import { formatExactMs } from '../format';

const COLORS: Record<BreakdownKey, string> = {
  client: '#8e8cd8',
  network: '#4e79a7',
  retrieval: '#59a14f',
  model: '#f28e2b',
  transport: '#76b7b2',
  render: '#b07aa1',
  backend: '#4e79a7',
  unattributed: '#9aa0a6',
};

export function BreakdownBar({ breakdown }: { breakdown: Breakdown }) {
  const total = Math.max(breakdown.parts.reduce((sum, part) => sum + part.ms, 0), 0.001);
  return (
    <div class="breakdown" data-total-ms={String(breakdown.totalMs)}>
      <div class="breakdown-head">
        <span>{`Time to first visible token ${formatExactMs(breakdown.totalMs)}`}</span>
        {breakdown.largest ? (
          <span class="breakdown-largest">
            {'largest: '}
            <strong>{breakdown.largest.label}</strong>
            {` (${formatExactMs(breakdown.largest.ms)}, ${Math.round((breakdown.largest.ms / total) * 100)}%)`}
          </span>
        ) : null}
      </div>
      <div class="breakdown-bar" role="img" aria-label="Time to first token breakdown">
        {breakdown.parts.filter((part) => part.ms > 0).map((part) => (
          <span
            key={part.key}
            class={`breakdown-part part-${part.key}${breakdown.largest?.key === part.key ? ' is-largest' : ''}`}
            style={{ width: `${(part.ms / total) * 100}%`, background: COLORS[part.key] }}
            title={`${part.label}: ${formatExactMs(part.ms)}`}
          />
        ))}
      </div>
      <ul class="breakdown-legend">
        {breakdown.parts.map((part) => (
          <li key={part.key} data-part={part.key} data-ms={String(part.ms)}>
            <span class="swatch" style={{ background: COLORS[part.key] }} />
            <span>{part.label}</span>
            <span class="legend-ms">{formatExactMs(part.ms)}</span>
          </li>
        ))}
      </ul>
      {breakdown.notes.length ? <div class="breakdown-notes">{breakdown.notes.join(' · ')}</div> : null}
    </div>
  );
}
