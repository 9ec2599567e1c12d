import { describe, expect, it } from 'vitest';
import { traceIdOf } from '../testing/otlp-fixtures';
import { readListingRows } from './listing-rows';
import { readTraceListing } from './trace-listing';

// The same two traces as the collector summarises them (GET /api/traces) and in the compact form it
// embeds in the standalone page (demo-backend src/collector/panel-rows.ts).
const summaries = {
  lastEventId: 9,
  traces: [
    {
      traceId: traceIdOf(2), rootName: 'chat.message', rootService: 'chat-web', services: ['chat-gateway', 'chat-web'], spanCount: 8, errorCount: 1,
      startTimeUnixNano: '1700000000123456789', durationMs: 2000, updatedAtMs: 1, status: 'error', rootDurationMs: 1999.5, sessionId: 's-1', messageId: 'm-2',
      message: { startTimeUnixNano: '1700000000200000000', conversationId: 'c-1', transport: 'fetch', ttftVisibleMs: 512.25, chunks: 40, preview: 'Paris — “quoted” <b>' },
    },
    {
      traceId: traceIdOf(1), rootName: 'GET /health', rootService: 'chat-gateway', services: ['chat-gateway'], spanCount: 1, errorCount: 0,
      startTimeUnixNano: '1699999999000000000', durationMs: 3, updatedAtMs: 1, status: 'pending',
    },
  ],
};
const rows = {
  format: 'rows-1',
  lastEventId: 9,
  services: ['chat-gateway', 'chat-web'],
  rows: [
    [traceIdOf(2), 'chat.message', [0, 1], 8, 1, '1700000000123456789', 'error', 1999.5, 's-1', 'm-2', ['1700000000200000000', 'c-1', 'fetch', 512.25, 40, 'Paris — “quoted” <b>']],
    [traceIdOf(1), 'GET /health', [0], 1, 0, '1699999999000000000', 'pending', null, null, null, null],
  ],
};

describe('the compact message list (rows-1)', () => {
  it('reads as the same list as the summaries it stands for', () => {
    const read = readListingRows(rows);
    expect(read).toEqual(readTraceListing(summaries));
    expect(read?.traces.map((trace) => [trace.messageId, trace.isChatMessage, trace.startMs, trace.services])).toEqual([
      ['m-2', true, 1_700_000_000_200, ['chat-gateway', 'chat-web']],
      [undefined, false, 1_699_999_999_000, ['chat-gateway']],
    ]);
  });

  it('is not taken for another format, or with a row it cannot read', () => {
    expect(readListingRows(summaries)).toBeUndefined();
    expect(readListingRows({ ...rows, format: 'rows-2' })).toBeUndefined();
    expect(readListingRows({ ...rows, rows: [[traceIdOf(3), 'x']] })).toBeUndefined();
    expect(readListingRows({ ...rows, rows: [[...rows.rows[1]!.slice(0, 6), 'done', null, null, null, null]] })).toBeUndefined();
    expect(readListingRows({ ...rows, rows: [[...rows.rows[1]!.slice(0, 10), 'not a message']] })).toBeUndefined();
  });
});
