import { afterEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import { createInMemoryAdapter } from '../bridge/in-memory';
import type { DashboardSummary } from '../bridge/dashboard-types';
import { mount } from './mount';
import type { MountedPanel } from './mount';
import { chatTrace } from '../testing/chat-trace';
import { kv, resourceSpans, spanIdOf, traceIdOf } from '../testing/otlp-fixtures';

const sync = (fn: () => void): void => fn();
const flush = (): Promise<void> => act(async () => {});
const storage = () => {
  const map = new Map<string, string>();
  return { getItem: (key: string) => map.get(key) ?? null, setItem: (key: string, value: string) => void map.set(key, value) };
};
const nanos = (ms: number): string => (BigInt(Math.round(ms * 1000)) * 1000n).toString();
const click = (element: Element | null | undefined): void => {
  if (!element) throw new Error('element not found');
  (element as HTMLElement).click();
};

let mounted: MountedPanel | undefined;
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
  document.body.innerHTML = '';
});

function setup() {
  const adapter = createInMemoryAdapter();
  const container = document.createElement('div');
  document.body.appendChild(container);
  return {
    adapter,
    container,
    start() {
      act(() => {
        mounted = mount({ adapter, container, options: { schedule: sync, settingsStorage: storage() } });
      });
    },
  };
}

describe('trace view: logs, root cause, message rows', () => {
  it('lists a message\'s logs as text beside its spans; a log\'s span link selects that span', async () => {
    const { adapter, container, start } = setup();
    start();
    const { browser, gateway, traceId } = chatTrace({ messageId: 'msg-logs' });
    const t0 = 1_700_000_000_000;
    adapter.setBackendTrace(traceId, [gateway]);
    adapter.setBackendLogs(traceId, [{
      resource: { attributes: kv({ 'service.name': 'chat-gateway' }) },
      scopeLogs: [{ logRecords: [
        { timeUnixNano: nanos(t0 + 200), severityNumber: 17, body: { stringValue: '<b>model slow</b>' }, traceId, spanId: spanIdOf(16 + 5) },
        { timeUnixNano: nanos(t0 + 45), severityText: 'info', body: { stringValue: 'chat request' }, traceId, spanId: spanIdOf(16 + 3) },
      ] }],
    }]);
    adapter.pushSpans([browser]);
    await flush();
    click(container.querySelector(`[data-trace-id="${traceId}"]`));
    await flush();
    await flush();
    const rows = [...container.querySelectorAll('.log-row')].map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent));
    expect(rows).toEqual([
      ['+45 ms', 'INFO', 'chat-gateway', 'chat request', spanIdOf(19).slice(0, 8)],
      ['+200 ms', 'ERROR', 'chat-gateway', '<b>model slow</b>', spanIdOf(21).slice(0, 8)],
    ]);
    expect(container.querySelector('.log-body b')).toBeNull();
    click(container.querySelectorAll('.log-span')[1]);
    await flush();
    expect(container.querySelector('.span-row.selected .span-label')?.textContent).toBe('chat sim-gpt-1');
    expect(container.querySelector('.span-details')?.textContent).toContain('gen_ai.response.time_to_first_chunk');
  });

  it('names the largest layer for a slow message, and for a failed one the failing span where the error started, with its message', async () => {
    // The model server's span ends after the gateway client span that failed because of it.
    const { adapter, container, start } = setup();
    start();
    const slow = chatTrace({ n: 1 });
    adapter.pushSpans([slow.browser, slow.gateway]);
    const traceId = traceIdOf(2);
    const t = 1_700_000_100_000;
    adapter.pushSpans([
      resourceSpans('chat-web', [{ traceId, spanId: spanIdOf(1), name: 'chat.message', startMs: t, endMs: t + 600, attrs: { 'streamtrace.message.outcome': 'error' }, error: 'stream failed' }]),
      resourceSpans('chat-gateway', [{ traceId, spanId: spanIdOf(3), parentSpanId: spanIdOf(1), name: 'chat sim-gpt-1', kind: 3, startMs: t + 50, endMs: t + 500, error: 'upstream answered 503', attrs: { 'error.type': 'model_error' } }]),
      resourceSpans('model-service', [{ traceId, spanId: spanIdOf(4), parentSpanId: spanIdOf(3), name: 'chat sim-gpt-1', startMs: t + 60, endMs: t + 520, error: 'simulated model failure' }]),
    ]);
    await flush();
    click(container.querySelector(`[data-trace-id="${slow.traceId}"]`));
    await flush();
    expect(container.querySelector('.root-cause')?.textContent).toBe('Responsible layer:model first token300 ms of 550 ms to first visible token (55%)');
    click(container.querySelector(`[data-trace-id="${traceId}"]`));
    await flush();
    const banner = container.querySelector('.root-cause.is-error');
    expect(banner?.querySelector('.root-cause-layer')?.textContent).toBe('model-service / chat sim-gpt-1');
    expect(banner?.textContent).toContain('simulated model failure');
    click(banner?.querySelector('.root-cause-layer'));
    await flush();
    expect(container.querySelector('.span-row.selected')?.getAttribute('data-span-id')).toBe(spanIdOf(4));
  });

  it('shows status, time, transport, TTFT, duration and chunks in a row; the answer only when it was captured', async () => {
    const { adapter, container, start } = setup();
    start();
    const plain = chatTrace({ n: 1, messageId: 'm-plain' });
    const captured = chatTrace({ n: 2, messageId: 'm-text', t0: 1_700_000_010_000 });
    const stream = captured.browser.scopeSpans![0]!.spans![1]!;
    stream.attributes!.push(...kv({ 'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Streaming  tokens\narrive in order.' }] }]) }));
    adapter.pushSpans([plain.browser, captured.browser]);
    await flush();
    const plainRow = container.querySelector(`[data-trace-id="${plain.traceId}"]`)!;
    expect(plainRow.querySelector('.badge')?.textContent).toBe('ok');
    expect(plainRow.querySelector('.message-transport')?.textContent).toBe('fetch');
    expect(plainRow.querySelector('.message-ttft')?.textContent).toBe('TTFT 550 ms');
    expect(plainRow.querySelector('.message-meta')?.textContent).toBe('2.00 s3 chunks');
    expect(plainRow.querySelector('.message-preview')).toBeNull();
    expect(plainRow.querySelector('.message-id')?.textContent).toBe('m-plain');
    expect(plainRow.getAttribute('title')).toContain(`trace ${plain.traceId}`);
    const textRow = container.querySelector(`[data-trace-id="${captured.traceId}"]`)!;
    expect(textRow.querySelector('.message-preview')?.textContent).toBe('Streaming tokens arrive in order.');
    expect(textRow.getAttribute('title')).toContain('message m-text');
  });
});

describe('dashboard tab (collector-style adapter)', () => {
  const summary = (traceId: string): DashboardSummary => ({
    windowSeconds: 300, messages: 4,
    ttftVisibleMs: { count: 3, p50: 640, p95: 2100 },
    layers: { retrieval: { count: 4, p50: 50, p95: 1200 }, model: { count: 3, p50: 250, p95: 260 } },
    errors: { failedMessages: 1, rate: 0.25, byLayer: [{ layer: 'model-service/chat sim-gpt-1', service: 'model-service', spanName: 'chat sim-gpt-1', count: 1, rate: 0.25 }] },
    outcomes: { complete: 3, error: 1 },
    slowest: [{ traceId, messageId: 'm-slow', ttftVisibleMs: 2100, durationMs: 4000, outcome: 'complete', responsible: { layer: 'retrieval', reason: 'largest', ms: 1200 } }],
  });

  it('is absent without a dashboard source, and lists percentiles, errors and slowest traces that open their trace view', async () => {
    const bare = setup();
    bare.start();
    expect(bare.container.querySelector('.tabs')).toBeNull();
    mounted?.unmount();
    mounted = undefined;

    const { adapter, container, start } = setup();
    const slow = chatTrace({ n: 9, messageId: 'm-slow' });
    adapter.setBackendTrace(slow.traceId, [slow.browser, slow.gateway]);
    adapter.setDashboard(summary(slow.traceId));
    start();
    click([...container.querySelectorAll('.tab')].find((tab) => tab.textContent === 'Dashboard'));
    await flush();
    await flush();
    const cells = (selector: string) => [...container.querySelectorAll(`${selector} tbody tr`)].map((row) => [...row.children].map((cell) => cell.textContent));
    expect(cells('.ttft-table')).toEqual([['overall', '3', '640 ms', '2.10 s'], ['retrieval', '4', '50 ms', '1.20 s'], ['model first token', '3', '250 ms', '260 ms']]);
    expect(cells('.errors-table')).toEqual([['model-service / chat sim-gpt-1', '1', '25%']]);
    expect(cells('.slowest-table')).toEqual([['m-slow', '2.10 s', '4.00 s', 'complete', 'retrieval (1.20 s)']]);
    expect(container.querySelector('.dashboard-totals')?.textContent).toContain('4 messages · 1 failed (25%)');
    // The slow trace is not in the list yet: opening it loads it from the backend.
    click(container.querySelector('.open-trace'));
    await flush();
    await flush();
    expect(container.querySelector('.trace-view')?.getAttribute('data-trace-id')).toBe(slow.traceId);
    expect(container.querySelector('.root-cause')?.textContent).toContain('model first token');
  });
});
