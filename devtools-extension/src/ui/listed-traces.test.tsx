import { describe, expect, it } from 'vitest';
import { createInMemoryAdapter } from '../bridge/in-memory';
import type { TraceListItem } from '../bridge/trace-listing';
import { click, flush, mountPanel, unmountAfterEach } from '../testing/panel-mount';
import { chatTrace } from '../testing/chat-trace';
import { traceIdOf } from '../testing/otlp-fixtures';

unmountAfterEach();

/** The row the collector lists for chatTrace() (6 spans), without any of its spans. */
function listed(traceId: string, overrides: Partial<TraceListItem> = {}): TraceListItem {
  return {
    traceId, rootName: 'chat.message', services: ['chat-gateway', 'chat-web'], spanCount: 6, errorCount: 0,
    startMs: 1_700_000_000_000, durationMs: 2000, status: 'complete', isChatMessage: true,
    sessionId: 'session-1', messageId: 'msg-listed', conversationId: 'conv-1', transport: 'websocket', ttftMs: 550, chunks: 3,
    ...overrides,
  };
}

describe('traces listed without spans', () => {
  it('lists a message from its row alone, and loads its trace when it is opened', async () => {
    const adapter = createInMemoryAdapter();
    const { browser, gateway, traceId } = chatTrace({ messageId: 'msg-listed' });
    adapter.setBackendTrace(traceId, [browser, gateway]);
    const { container } = mountPanel(adapter);
    adapter.pushListing([listed(traceId, { preview: 'Paris is the capital.' })]);
    await flush();
    const row = container.querySelector(`.message-row[data-trace-id="${traceId}"]`);
    expect(row?.textContent).toContain('websocket');
    expect(row?.textContent).toContain('TTFT 550 ms');
    expect(row?.textContent).toContain('3 chunks');
    expect(row?.textContent).toContain('Paris is the capital.');
    expect(container.querySelector('.counts')?.textContent).toMatch(/^1 traces?/);
    expect(container.querySelector('.trace-view')).toBeNull();

    click(row);
    await flush();
    await flush();
    const labels = [...container.querySelectorAll('.span-row .span-label')].map((el) => el.textContent);
    expect(labels).toEqual(['chat.message', 'chat.stream', 'POST /api/chat', 'retrieval docs', 'stream sse', 'chat sim-gpt-1']);
    expect(container.querySelector('.breakdown-largest')?.textContent).toContain('model first token');
  });

  it('keeps the listed row while only some of its spans have arrived, then reads the spans', async () => {
    const adapter = createInMemoryAdapter();
    const { browser, gateway, traceId } = chatTrace({ outcome: 'cancel' });
    const { container } = mountPanel(adapter);
    // Listed while still streaming: 5 spans, no chat.message yet.
    adapter.pushListing([listed(traceId, { spanCount: 5, status: 'pending', messageId: 'msg-1', ttftMs: 550 })]);
    // One late span arrives live: the row must not be drawn from it alone.
    adapter.pushSpans([{ ...gateway, scopeSpans: [{ ...gateway.scopeSpans![0]!, spans: gateway.scopeSpans![0]!.spans!.slice(0, 1) }] }]);
    await flush();
    const row = () => container.querySelector(`.message-row[data-trace-id="${traceId}"]`);
    expect(row()?.textContent).toContain('pending');
    expect(row()?.textContent).toContain('TTFT 550 ms');
    // The whole trace: its spans say what happened.
    adapter.pushSpans([browser, gateway]);
    await flush();
    expect(row()?.textContent).toContain('cancelled');
    expect(row()?.textContent).toContain('fetch');
  });
});

describe('filters of a listed list', () => {
  it('lists every session and conversation once the list is on screen, keeping a chosen one meanwhile', async () => {
    const adapter = createInMemoryAdapter();
    const { container } = mountPanel(adapter);
    const options = (selector: string) => [...container.querySelectorAll(`${selector} option`)].map((option) => option.getAttribute('value'));
    expect(options('.session-filter')).toEqual(['']);
    adapter.pushListing([
      listed(traceIdOf(1), { sessionId: 'session-b', conversationId: 'conv-1' }),
      listed(traceIdOf(2), { sessionId: 'session-a', conversationId: 'conv-2' }),
      listed(traceIdOf(3), { sessionId: 'session-b', conversationId: 'conv-2' }),
    ]);
    await flush();
    expect(options('.session-filter')).toEqual(['', 'session-a', 'session-b']);
    expect(options('.conversation-filter')).toEqual(['', 'conv-1', 'conv-2']);
    const select = container.querySelector('.session-filter') as HTMLSelectElement;
    select.value = 'session-a';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await flush();
    expect([...container.querySelectorAll('.message-row')].map((row) => row.getAttribute('data-trace-id'))).toEqual([traceIdOf(2)]);
  });
});
