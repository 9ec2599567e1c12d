import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { startStack } from '../../demo-backend/dist/stack/start-stack.js';
import { ask, openChat, readMessage } from './fixtures/chat-page.js';
import type { Fault, Transport } from './fixtures/chat-page.js';
import { histogramsOfAlert, rulesForTest, startPrometheus } from './fixtures/prometheus.js';
import type { RunningPrometheus } from './fixtures/prometheus.js';

// The whole "alert → exemplar → trace → logs → layer" walk of docs/guide.md § 9 on the REAL demo:
// messages typed into the chat page (some with the slow-retrieval fault), a real Prometheus
// scraping the dev collector's /metrics and evaluating docs/deploy/alerts.yml (only `for:` and
// the evaluation interval shortened), then every hop a user takes, as the guide tells it.

const repo = fileURLToPath(new URL('../..', import.meta.url));
const tmpRoot = join(repo, '.tmp');
const ALERT = 'StreamtraceTimeToFirstTokenSlow';
/** Extra delay of the vector store's `slow` fault: slow messages land above the alert's 3 s. */
const SLOW_RETRIEVAL_MS = 3500;
const USERS: Transport[] = ['eventsource', 'fetch', 'websocket', 'eventsource', 'fetch'];
/** Per user: 3 slow messages, 1 normal. 20 messages in the 5-minute window clear the alert's traffic guard (> 0.05/s). */
const PLAN: Fault[] = ['slow-retrieval', 'none', 'slow-retrieval', 'slow-retrieval'];

interface SentMessage { traceId: string; fault: Fault }
interface Attr { key: string; value: { stringValue?: string; intValue?: string; doubleValue?: number } }
interface OtlpSpan { traceId: string; spanId: string; parentSpanId?: string; name: string; startTimeUnixNano: string; endTimeUnixNano: string; attributes?: Attr[] }
interface ResourceSpans { resource?: { attributes?: Attr[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }
interface ResourceLogs { resource?: { attributes?: Attr[] }; scopeLogs?: { logRecords?: { traceId?: string; body?: { stringValue?: string } }[] }[] }
interface PromAlert { labels: Record<string, string>; state: string; value: string }
interface ExemplarSeries { seriesLabels: Record<string, string>; exemplars: { labels: Record<string, string>; value: string; timestamp: number }[] }

const service = (resource: { resource?: { attributes?: Attr[] } }): string =>
  resource.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
const ms = (span: OtlpSpan): number => Number(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1e6;

/** One user: a fresh browser context (own session) sending the plan's messages in order. */
async function chatAs(browser: Browser, web: string, transport: Transport, plan: Fault[]): Promise<SentMessage[]> {
  const context = await browser.newContext();
  try {
    const page: Page = await context.newPage();
    await openChat(page, web, transport);
    const sent: SentMessage[] = [];
    for (const [n, fault] of plan.entries()) {
      await page.getByTestId('fault-select').selectOption(fault);
      const answer = await ask(page, `Question ${n + 1} over ${transport}: how is a streamed answer traced?`);
      await expect(answer).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
      sent.push({ traceId: (await readMessage(page, answer)).traceId, fault });
    }
    return sent;
  } finally {
    await context.close();
  }
}

test('a slow message: alert fires, its exemplar leads to the trace, the logs, and retrieval as the responsible layer', async ({ browser }) => {
  test.setTimeout(150_000);
  mkdirSync(tmpRoot, { recursive: true });
  const stack = await startStack({
    ports: { collector: 0, gateway: 0, vectorStore: 0, model: 0, web: 0 },
    web: true,
    env: { VECTOR_STORE_SLOW_MS: String(SLOW_RETRIEVAL_MS), MODEL_TOKEN_DELAY_MS: '5', MODEL_JITTER_MS: '3' },
  });
  let prometheus: RunningPrometheus | undefined;
  try {
    const web = stack.urls.web!;
    const rules = await rulesForTest(join(repo, 'docs/deploy/alerts.yml'), { interval: '1s', forDuration: '2s' });
    // The alert's metric, read from the rules as an on-call engineer reads the alert's expression.
    const [metric] = histogramsOfAlert(rules, ALERT);
    expect(metric).toBe('streamtrace_ttft_visible_seconds_bucket');
    prometheus = await startPrometheus({
      tmpRoot,
      // honor_labels: the collector's `job` (service.name) is kept, as with the production exporter.
      targets: [{ job: 'dev-collector', url: stack.urls.collector, honorLabels: true }],
      rules,
      scrapeInterval: '1s',
      evaluationInterval: '1s',
      log: (line) => console.error(`[prometheus] ${line}`),
    });
    const prom = prometheus;
    const started = Date.now() / 1000;

    // A first message creates the histogram series; Prometheus counts increases from its first scrape on.
    await chatAs(browser, web, 'eventsource', ['none']);
    await expect.poll(async () => (await prom.get<{ result: unknown[] }>(`/query?query=${encodeURIComponent('sum(streamtrace_ttft_visible_seconds_count)')}`)).result.length, { timeout: 20_000 }).toBe(1);

    // Only normal traffic so far: the alert is quiet.
    expect((await prom.get<{ alerts: PromAlert[] }>('/alerts')).alerts.filter((a) => a.labels.alertname === ALERT)).toEqual([]);

    // Five users at once, mostly slow answers.
    const sent = (await Promise.all(USERS.map((transport) => chatAs(browser, web, transport, PLAN)))).flat();
    const slow = new Set(sent.filter((m) => m.fault === 'slow-retrieval').map((m) => m.traceId));
    expect(slow.size).toBe(USERS.length * PLAN.filter((f) => f === 'slow-retrieval').length);

    // 1. The alert fires (Prometheus' own evaluation of the repository's rule).
    let firing: PromAlert | undefined;
    await expect.poll(async () => {
      const { alerts } = await prom.get<{ alerts: PromAlert[] }>('/alerts');
      firing = alerts.find((a) => a.labels.alertname === ALERT && a.state === 'firing');
      return firing !== undefined;
    }, { timeout: 45_000, intervals: [1000] }).toBe(true);
    expect(Number(firing!.value)).toBeGreaterThan(3);

    // 2. Its metric's exemplars: the slowest bucket above the 3 s threshold names a slow message's trace.
    const range = `start=${started - 60}&end=${Date.now() / 1000 + 60}`;
    const series = await prom.get<ExemplarSeries[]>(`/query_exemplars?query=${metric}&${range}`);
    const aboveThreshold = series
      .filter((s) => Number(s.seriesLabels.le === '+Inf' ? Infinity : s.seriesLabels.le) > 3)
      .flatMap((s) => s.exemplars)
      .filter((e) => Number(e.value) > 3)
      .sort((a, b) => Number(b.value) - Number(a.value));
    expect(aboveThreshold.length).toBeGreaterThan(0);
    const traceId = aboveThreshold[0]!.labels.trace_id!;
    expect(slow.has(traceId)).toBe(true);

    // 3. The trace id resolves in the dev collector to the whole browser + backend trace.
    let spans: { service: string; span: OtlpSpan }[] = [];
    await expect.poll(async () => {
      const response = await fetch(`${stack.urls.collector}/api/v3/traces/${traceId}`);
      if (!response.ok) return [];
      const body = (await response.json()) as { result: { resourceSpans: ResourceSpans[] } };
      spans = body.result.resourceSpans.flatMap((r) => (r.scopeSpans ?? []).flatMap((s) => (s.spans ?? []).map((span) => ({ service: service(r), span }))));
      return [...new Set(spans.map((s) => s.service))].sort();
    }, { timeout: 20_000 }).toEqual(['chat-gateway', 'chat-ui', 'model-service', 'vector-store']);
    const names = spans.map((s) => s.span.name);
    for (const name of ['chat.message', 'chat.stream']) expect(names).toContain(name);
    const ids = new Set(spans.map((s) => s.span.spanId));
    expect(spans.filter((s) => s.span.parentSpanId && !ids.has(s.span.parentSpanId))).toEqual([]);
    const retrieval = spans.find((s) => s.service === 'chat-gateway' && s.span.name.startsWith('retrieval '));
    const search = spans.find((s) => s.service === 'vector-store' && s.span.name.startsWith('vector.search'));
    expect(ms(retrieval!.span)).toBeGreaterThanOrEqual(SLOW_RETRIEVAL_MS);
    expect(search!.span.attributes?.find((a) => a.key === 'streamtrace.fault')?.value.stringValue).toBe('slow');

    // 4. The logs of that trace, from the gateway and the vector store.
    let logs: { service: string; body: string }[] = [];
    await expect.poll(async () => {
      const body = (await (await fetch(`${stack.urls.collector}/api/logs/${traceId}`)).json()) as { resourceLogs: ResourceLogs[] };
      logs = body.resourceLogs.flatMap((r) => (r.scopeLogs ?? []).flatMap((s) => (s.logRecords ?? []).map((record) => ({ service: service(r), body: record.body?.stringValue ?? '' }))));
      return logs.some((l) => l.service === 'vector-store' && l.body === 'vector search done') && logs.some((l) => l.service === 'chat-gateway' && l.body === 'retrieval done');
    }, { timeout: 20_000 }).toBe(true);

    // 5. The standalone panel opened on the exemplar's trace (the link a dashboard gives) names
    //    retrieval as the responsible layer and shows its logs.
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    try {
      const panel = await context.newPage();
      await panel.goto(`${stack.urls.collector}/?trace=${traceId}`);
      await expect(panel.locator('.conn-connected')).toBeVisible();
      await expect(panel.locator('.trace-view')).toHaveAttribute('data-trace-id', traceId);
      await expect(panel.locator('.root-cause[data-kind="largest"] .root-cause-layer')).toHaveText('retrieval', { timeout: 20_000 });
      await expect.poll(() => panel.locator('.log-row').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(logs.length);
      await expect(panel.locator('.log-row').filter({ has: panel.locator('.log-service', { hasText: 'vector-store' }) }).filter({ hasText: 'vector search done' })).toHaveCount(1);
      await panel.screenshot({ path: join(tmpRoot, 'close-the-loop-panel.png'), fullPage: true });
    } finally {
      await context.close();
    }
  } finally {
    await prometheus?.stop();
    await stack.stop();
  }
});
