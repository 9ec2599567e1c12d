import { describe, expect, it } from 'vitest';
import { panelRows } from './panel-rows.js';
import type { TraceSummary } from './trace-summary.js';

const chat: TraceSummary = {
  traceId: 'a'.repeat(32), rootName: 'chat.message', rootService: 'chat-web', services: ['chat-gateway', 'chat-web'], spanCount: 8, errorCount: 1,
  startTimeUnixNano: '1700000000123456789', durationMs: 2000, updatedAtMs: 5, status: 'error', rootDurationMs: 1999.5, sessionId: 's-1', messageId: 'm-2',
  message: { startTimeUnixNano: '1700000000200000000', conversationId: 'c-1', transport: 'fetch', ttftVisibleMs: 512.25, chunks: 40, preview: 'Paris' },
};
const backend: TraceSummary = {
  traceId: 'b'.repeat(32), rootName: 'GET /health', rootService: 'chat-gateway', services: ['chat-gateway'], spanCount: 1, errorCount: 0,
  startTimeUnixNano: '1699999999000000000', durationMs: 3, updatedAtMs: 5, status: 'pending',
};

describe('the compact list embedded in the panel page', () => {
  it('carries each summary\'s list fields by position, service names once', () => {
    expect(panelRows([chat, backend, { ...chat, traceId: 'c'.repeat(32), message: {} }], 7)).toEqual({
      format: 'rows-1',
      lastEventId: 7,
      services: ['chat-gateway', 'chat-web'],
      rows: [
        ['a'.repeat(32), 'chat.message', [0, 1], 8, 1, '1700000000123456789', 'error', 1999.5, 's-1', 'm-2', ['1700000000200000000', 'c-1', 'fetch', 512.25, 40, 'Paris']],
        ['b'.repeat(32), 'GET /health', [0], 1, 0, '1699999999000000000', 'pending', null, null, null, null],
        ['c'.repeat(32), 'chat.message', [0, 1], 8, 1, '1700000000123456789', 'error', 1999.5, 's-1', 'm-2', [null, null, null, null, null, null]],
      ],
    });
  });

  it('is less than half the size of the summaries for a chat message list', () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ ...chat, traceId: i.toString(16).padStart(32, '0'), messageId: `msg-${i}` }));
    expect(JSON.stringify(panelRows(many, 1)).length).toBeLessThan(JSON.stringify({ traces: many, lastEventId: 1 }).length / 2);
  });
});
