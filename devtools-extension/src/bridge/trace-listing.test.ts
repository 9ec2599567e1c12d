import { describe, expect, it } from 'vitest';
import { parseTraceListing } from './trace-listing';

const id = 'ab'.repeat(16);

describe('collector list rows', () => {
  it('reads a row: the message start wins over the trace start, a trace without `message` is no chat message', () => {
    const rows = parseTraceListing({
      traces: [
        { traceId: id.toUpperCase(), rootName: 'chat.message', services: ['a', 7], spanCount: 9, errorCount: 1, startTimeUnixNano: '1700000000000000000', status: 'error', rootDurationMs: 12.5, message: { startTimeUnixNano: '1700000000123456789', ttftVisibleMs: 'soon', chunks: 4 } },
        { traceId: 'cd'.repeat(16), rootName: 'GET /health', spanCount: 1, errorCount: 0, startTimeUnixNano: '1700000000000000000', status: 'complete' },
      ],
    });
    expect(rows?.[0]).toEqual({
      traceId: id, rootName: 'chat.message', services: ['a'], spanCount: 9, errorCount: 1, startMs: 1_700_000_000_123.456,
      status: 'error', isChatMessage: true, durationMs: 12.5, chunks: 4,
    });
    expect(rows?.[1]).toMatchObject({ isChatMessage: false, startMs: 1_700_000_000_000, status: 'complete' });
  });

  it('says undefined for summaries without rows (an older collector) or without a list', () => {
    expect(parseTraceListing({ traces: [{ traceId: id, spanCount: 3 }] })).toBeUndefined();
    expect(parseTraceListing({ traces: [{ traceId: id, status: 'done' }] })).toBeUndefined();
    expect(parseTraceListing({ error: 'x' })).toBeUndefined();
    expect(parseTraceListing({ traces: [] })).toEqual([]);
  });
});
