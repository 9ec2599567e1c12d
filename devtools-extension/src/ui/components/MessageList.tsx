import type { MessageRow } from '../models/messages';
import { formatClock, formatMs } from '../format';
import { VirtualList } from './VirtualList';

export interface MessageListProps {
  rows: MessageRow[];
  selected?: string;
  onSelect: (traceId: string) => void;
}

const STATUS_TEXT: Record<MessageRow['status'], string> = { complete: 'ok', cancel: 'cancelled', error: 'error', pending: 'pending' };

export function MessageList({ rows, selected, onSelect }: MessageListProps) {
  if (!rows.length) {
    return <div class="empty">No messages yet. Send a chat message in the inspected page (or check the filter).</div>;
  }
  // Arrow keys move the selection like the Network panel's request list.
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const current = rows.findIndex((row) => row.traceId === selected);
    const next = rows[Math.min(rows.length - 1, Math.max(0, current + (event.key === 'ArrowDown' ? 1 : -1)))];
    if (next) {
      event.preventDefault();
      onSelect(next.traceId);
    }
  };
  return (
    <div class="message-list-wrap" onKeyDown={onKeyDown}>
    <VirtualList
      className="message-list"
      label="Messages"
      items={rows}
      rowHeight={46}
      getKey={(row) => row.traceId}
      scrollToIndex={rows.findIndex((row) => row.traceId === selected)}
      renderRow={(row) => (
        <button
          type="button"
          class={`message-row status-${row.status}${row.traceId === selected ? ' selected' : ''}`}
          data-trace-id={row.traceId}
          onClick={() => onSelect(row.traceId)}
        >
          <span class="message-line">
            <span class={`badge badge-${row.status}`}>{STATUS_TEXT[row.status]}</span>
            <span class="message-title" title={row.title}>{row.title}</span>
            {row.errorCount > 0 && row.status !== 'error' ? <span class="badge badge-error">{`${row.errorCount} err`}</span> : null}
            <span class="message-time">{formatClock(row.startMs)}</span>
          </span>
          <span class="message-meta">
            <span title="time to first visible token">{`TTFT ${formatMs(row.ttftMs)}`}</span>
            <span>{formatMs(row.durationMs)}</span>
            <span>{row.chunks !== undefined ? `${row.chunks} chunks` : `${row.spanCount} spans`}</span>
            <span class="message-session" title={row.sessionId ?? ''}>{row.sessionId ?? row.traceId.slice(0, 8)}</span>
          </span>
        </button>
      )}
    />
    </div>
  );
}
