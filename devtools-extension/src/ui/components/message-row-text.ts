import type { MessageRow } from '../models/messages';

// What a message row says, shared by MessageList and the standalone page's first frame
// (entries/first-frame.ts), which draws the same rows before the panel's code has loaded.

/** Three single-line rows of text; each line clips instead of wrapping, so rows never overlap. */
export const MESSAGE_ROW_HEIGHT = 60;

export const STATUS_TEXT: Record<MessageRow['status'], string> = { complete: 'ok', cancel: 'cancelled', error: 'error', pending: 'pending' };

export function rowTooltip(row: MessageRow): string {
  return [
    `trace ${row.traceId}`,
    row.messageId ? `message ${row.messageId}` : '',
    row.sessionId ? `session ${row.sessionId}` : '',
    row.conversationId ? `conversation ${row.conversationId}` : '',
  ].filter(Boolean).join('\n');
}

/** The second line's count: chunks when the stream reported them, else spans. */
export const countText = (row: MessageRow): string => (row.chunks !== undefined ? `${row.chunks} chunks` : `${row.spanCount} spans`);

export const errorText = (row: MessageRow): string => `${row.errorCount} error span${row.errorCount === 1 ? '' : 's'}`;
