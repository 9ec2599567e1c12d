import type { MessageRow } from '../models/messages';
import { formatClock, formatMs } from '../format';
import { VirtualList } from './VirtualList';
import { MESSAGE_ROW_HEIGHT, STATUS_TEXT, countText, errorText, rowTooltip } from './message-row-text';

export interface MessageListProps {
  rows: MessageRow[];
  selected?: string;
  onSelect: (traceId: string) => void;
}

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
      rowHeight={MESSAGE_ROW_HEIGHT}
      getKey={(row) => row.traceId}
      scrollToIndex={rows.findIndex((row) => row.traceId === selected)}
      renderRow={(row) => (
        <button
          type="button"
          class={`message-row status-${row.status}${row.traceId === selected ? ' selected' : ''}`}
          data-trace-id={row.traceId}
          title={rowTooltip(row)}
          onClick={() => onSelect(row.traceId)}
        >
          <span class="message-line">
            <span class={`badge badge-${row.status}`}>{STATUS_TEXT[row.status]}</span>
            {row.transport ? <span class="message-transport">{row.transport}</span> : null}
            <span class="message-time">{formatClock(row.startMs)}</span>
            <span class="message-ttft" title="time to first visible token">{`TTFT ${formatMs(row.ttftMs)}`}</span>
          </span>
          <span class="message-meta">
            <span title="duration">{formatMs(row.durationMs)}</span>
            <span>{countText(row)}</span>
            {row.errorCount > 0 ? <span class="text-error">{errorText(row)}</span> : null}
            {row.isChatMessage ? null : <span class="message-root">{row.title}</span>}
          </span>
          {row.preview
            ? <span class="message-preview">{row.preview}</span>
            : <span class="message-id mono">{row.messageId ?? row.traceId}</span>}
        </button>
      )}
    />
    </div>
  );
}
