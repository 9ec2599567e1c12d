import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { ask, openChat, readMessage } from './fixtures/chat-page.js';
import type { MessageFacts, Transport } from './fixtures/chat-page.js';
import { extensionWorker, launchWithExtension, repo, tabIdOf } from './fixtures/extension.js';
import type { ExtensionBrowser } from './fixtures/extension.js';
import { expect, test } from './fixtures/stack.js';
import { screenshotDir as imgDir } from './fixtures/screenshots.js';

// The DevTools panel (unpacked extension in real Chromium) against the REAL demo: collector,
// gateway, vector store, model service and the chat page with the real SDK. Nothing is hand-made:
// every message is typed into the chat page, every span and log comes from the services.

const TRANSPORTS: Transport[] = ['eventsource', 'websocket', 'fetch'];

let browser: ExtensionBrowser | undefined;
let context: BrowserContext;

test.beforeAll(async () => {
  browser = await launchWithExtension('panel-demo-', { width: 1280, height: 900 });
  context = browser.context;
});

test.afterAll(async () => {
  await browser?.close();
});

interface OtlpSpanJson { spanId: string; name: string; status?: { code?: number; message?: string } }
interface ResourceSpansJson { resource?: { attributes?: { key: string; value: { stringValue?: string } }[] }; scopeSpans?: { spans?: OtlpSpanJson[] }[] }

/** The collector's view of a trace: service per span, waited for until `ready` holds. */
async function collectorSpans(collector: string, traceId: string, ready: (spans: { service: string; span: OtlpSpanJson }[]) => boolean) {
  let spans: { service: string; span: OtlpSpanJson }[] = [];
  await expect.poll(async () => {
    const response = await fetch(`${collector}/api/v3/traces/${traceId}`);
    if (!response.ok) return false;
    const body = (await response.json()) as { result: { resourceSpans: ResourceSpansJson[] } };
    spans = body.result.resourceSpans.flatMap((resource) => {
      const service = resource.resource?.attributes?.find((attr) => attr.key === 'service.name')?.value.stringValue ?? '';
      return (resource.scopeSpans ?? []).flatMap((scope) => (scope.spans ?? []).map((span) => ({ service, span })));
    });
    return ready(spans);
  }, { timeout: 30_000 }).toBe(true);
  return spans;
}

const legendMs = (panel: Page) =>
  panel.locator('.breakdown-legend li').evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-ms'))));

/** Parses the panel's formatted durations ("405 ms", "2.10 s", "7.5 ms"). */
const parseShownMs = (text: string): number => {
  const match = /([\d.]+)\s*(ms|s)\b/.exec(text);
  if (!match) throw new Error(`no duration in ${JSON.stringify(text)}`);
  return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
};

async function checkMessageInPanel(panel: Page, facts: MessageFacts, transport: Transport, collector: string): Promise<void> {
  const row = panel.locator(`.message-row[data-trace-id="${facts.traceId}"]`);
  await expect(row).toBeVisible();
  await expect(row.locator('.message-transport')).toHaveText(transport);
  await expect(row.locator('.badge')).toHaveText('ok');
  await expect(row.locator('.message-meta')).toContainText(`${facts.chunks} chunks`);
  await row.click();
  await expect(panel.locator('.trace-view')).toHaveAttribute('data-trace-id', facts.traceId);

  // Browser, gateway, retrieval and model spans in one tree (no orphans), once every service exported.
  const stored = await collectorSpans(collector, facts.traceId, (spans) =>
    ['chat-ui', 'chat-gateway', 'vector-store', 'model-service'].every((service) => spans.some((s) => s.service === service)));
  await expect.poll(() => panel.locator('.span-row').count(), { timeout: 40_000 }).toBeGreaterThanOrEqual(stored.length);
  const services = await panel.locator('.span-row .span-service').allTextContents();
  for (const service of ['chat-ui', 'chat-gateway', 'vector-store', 'model-service']) expect(services).toContain(service);
  await expect(panel.locator('.span-row .span-label').filter({ hasText: /^retrieval / })).toHaveCount(1);
  await expect(panel.locator('.span-row .span-label').filter({ hasText: /^vector\.search/ })).toHaveCount(1);
  await expect(panel.locator('.orphan-marker')).toHaveCount(0);
  await expect(panel.locator('.waterfall-header')).toContainText(`${await panel.locator('.span-row').count()} spans`);

  // The chunk timeline has one point per chunk the page received.
  await expect(panel.locator('.chunk-point')).toHaveCount(facts.chunks);

  // The breakdown is an exact partition of the time to first visible token.
  const totalText = (await panel.locator('.breakdown-head > span').first().textContent()) ?? '';
  const shownTotal = parseShownMs(totalText);
  const exactTotal = Number(await panel.locator('.breakdown').getAttribute('data-total-ms'));
  const parts = await legendMs(panel);
  expect(parts.length).toBeGreaterThanOrEqual(5);
  for (const ms of parts) expect(ms).toBeGreaterThanOrEqual(0);
  const sum = parts.reduce((a, b) => a + b, 0);
  expect(Math.abs(sum - exactTotal)).toBeLessThan(0.001);
  expect(Math.abs(sum - shownTotal)).toBeLessThanOrEqual(1);
  const shownParts = (await panel.locator('.breakdown-legend .legend-ms').allTextContents()).map(parseShownMs);
  expect(Math.abs(shownParts.reduce((a, b) => a + b, 0) - shownTotal)).toBeLessThanOrEqual(0.5 * shownParts.length + 0.5);
  // The row's TTFT (coarser format above 1 s) is the same number.
  const rowTtft = parseShownMs((await row.locator('.message-ttft').textContent()) ?? '');
  expect(Math.abs(rowTtft - shownTotal)).toBeLessThanOrEqual(shownTotal >= 1000 ? 5 : 1);
  await expect(panel.locator('.root-cause[data-kind="largest"]')).toBeVisible();
  // This SDK reports the first chunk that changed the DOM (the gateway's `start` event does not).
  await expect(panel.locator('.breakdown')).not.toContainText('first visible chunk unknown');
}

test('panel shows real demo messages for every transport live, one trace with backend spans, exact breakdown, and a model error', async ({ stack }) => {
  test.setTimeout(240_000);
  const { worker, extensionId } = await extensionWorker(context, 15_000);

  const page = await context.newPage();
  await openChat(page, stack.urls.web, 'eventsource');
  const tabId = await tabIdOf(worker, stack.urls.web);
  expect(typeof tabId).toBe('number');

  const panel = await context.newPage();
  await panel.setViewportSize({ width: 1280, height: 1000 });
  await panel.goto(`chrome-extension://${extensionId}/panel.html?tabId=${tabId}`);
  await expect(panel.locator('.conn-connected')).toBeVisible();
  await panel.getByRole('button', { name: 'Settings' }).click();
  await panel.locator('.settings input').first().fill(stack.urls.collector);
  await panel.getByRole('button', { name: 'Save' }).click();

  for (const transport of TRANSPORTS) {
    if (transport !== 'eventsource') await openChat(page, stack.urls.web, transport);
    // In front while it streams: a background tab gets about one animation frame a second, which
    // would (truthfully) show up as render time.
    await page.bringToFront();
    const answer = await ask(page, `How do I trace a streamed answer over ${transport}?`);
    await expect(answer).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
    const facts = await readMessage(page, answer);
    await panel.bringToFront();
    // The page was reloaded with the panel open: its SDK starts after an async config fetch, and
    // the message still appears (the SDK announces itself and the content script answers with a hello).
    await checkMessageInPanel(panel, facts, transport, stack.urls.collector);
    await panel.screenshot({ path: join(imgDir, `panel-demo-${transport}.png`) });
  }

  // Narrow panel (DevTools docked to the side): every row's three lines stay inside the row and
  // apart from each other, nothing wraps into the next row.
  await panel.setViewportSize({ width: 520, height: 700 });
  const boxes = await panel.locator('.message-row').evaluateAll((rows) => rows.map((row) => {
    const outer = row.getBoundingClientRect();
    const lines = [...row.children].map((child) => child.getBoundingClientRect());
    return { outer: { top: outer.top, bottom: outer.bottom }, lines: lines.map((line) => ({ top: line.top, bottom: line.bottom, width: line.width })) };
  }));
  expect(boxes.length).toBeGreaterThanOrEqual(3);
  // The TTFT is never the part that gets clipped.
  for (const ttft of await panel.locator('.message-row .message-ttft').all()) {
    expect(await ttft.evaluate((el) => el.scrollWidth <= el.clientWidth + 0.5 && el.getBoundingClientRect().right <= el.closest('.message-row')!.getBoundingClientRect().right)).toBe(true);
  }
  for (const { outer, lines } of boxes) {
    expect(lines).toHaveLength(3);
    for (const [i, line] of lines.entries()) {
      expect(line.top).toBeGreaterThanOrEqual(outer.top - 0.5);
      expect(line.bottom).toBeLessThanOrEqual(outer.bottom + 0.5);
      if (i > 0) expect(line.top).toBeGreaterThanOrEqual(lines[i - 1]!.bottom - 0.5);
    }
  }
  await panel.screenshot({ path: join(imgDir, 'panel-demo-narrow.png') });
  await panel.setViewportSize({ width: 1280, height: 1000 });

  // A failing model: the error is on the failing span, with its message, and named as responsible.
  await openChat(page, stack.urls.web, 'fetch', 'model-error');
  const failed = await ask(page, 'What happens when the model fails?');
  await expect(failed).toHaveAttribute('data-status', 'error', { timeout: 30_000 });
  const failedFacts = await readMessage(page, failed);
  const stored = await collectorSpans(stack.urls.collector, failedFacts.traceId, (spans) =>
    spans.some((s) => s.service === 'model-service' && s.span.status?.code === 2) && spans.some((s) => s.span.name === 'chat.message'));
  const modelError = stored.find((s) => s.service === 'model-service' && s.span.status?.code === 2)!;
  expect(modelError.span.status?.message).toBeTruthy();
  const failedRow = panel.locator(`.message-row[data-trace-id="${failedFacts.traceId}"]`);
  await expect(failedRow.locator('.badge')).toHaveText('error');
  await failedRow.click();
  await expect.poll(() => panel.locator('.span-row').count(), { timeout: 40_000 }).toBeGreaterThanOrEqual(stored.length);
  const errorRow = panel.locator(`.span-row[data-span-id="${modelError.span.spanId}"]`);
  await expect(errorRow).toHaveClass(/is-error/);
  await expect(errorRow.locator('.span-error-text')).toHaveText(` ${modelError.span.status!.message!}`);
  const cause = panel.locator('.root-cause.is-error');
  await expect(cause.locator('.root-cause-layer')).toHaveText(`model-service / ${modelError.span.name}`);
  await expect(cause).toContainText(modelError.span.status!.message!);
  // No token was ever shown: no time-to-first-token breakdown is made up for it.
  await expect(panel.locator('.breakdown')).toHaveCount(0);
  await panel.screenshot({ path: join(imgDir, 'panel-demo-model-error.png') });

  // The same trace on the standalone page the collector serves: spans, logs, and the Dashboard tab.
  const standalone = await context.newPage();
  await standalone.setViewportSize({ width: 1280, height: 1000 });
  await standalone.goto(`${stack.urls.collector}/`);
  const slowTrace = failedFacts.traceId;
  const logsResponse = (await (await fetch(`${stack.urls.collector}/api/logs/${slowTrace}`)).json()) as { resourceLogs: { scopeLogs?: { logRecords?: unknown[] }[] }[] };
  const recordCount = logsResponse.resourceLogs.flatMap((r) => r.scopeLogs ?? []).flatMap((s) => s.logRecords ?? []).length;
  expect(recordCount).toBeGreaterThan(0);
  await standalone.locator(`.message-row[data-trace-id="${slowTrace}"]`).click();
  await expect(standalone.locator('.trace-view')).toHaveAttribute('data-trace-id', slowTrace);
  await expect.poll(() => standalone.locator('.log-row').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(recordCount);
  await expect(standalone.locator('.log-row .log-service').first()).not.toBeEmpty();
  // A log's span link selects its span in the waterfall.
  const linked = standalone.locator('.log-row .log-span').first();
  await linked.click();
  await expect(standalone.locator('.span-row.selected')).toHaveCount(1);
  await expect(standalone.locator('.root-cause.is-error .root-cause-layer')).toHaveText(`model-service / ${modelError.span.name}`);
  await standalone.screenshot({ path: join(imgDir, 'panel-demo-standalone-logs.png'), fullPage: true });

  await standalone.getByRole('tab', { name: 'Dashboard' }).click();
  // A failure rarely ranks among the slowest once the shared stack holds more messages: it is listed under recent failures.
  const dashRow = standalone.locator(`.failures-table tr[data-trace-id="${slowTrace}"]`);
  await expect(dashRow).toBeVisible();
  await expect(dashRow).toContainText('(error)');
  // The stack is shared by the spec files of this worker: at least this spec's four messages.
  const totals = (await standalone.locator('.dashboard-totals').textContent()) ?? '';
  const [, messages, failedCount] = /(\d+) messages · (\d+) failed/.exec(totals) ?? [];
  expect(Number(messages)).toBeGreaterThanOrEqual(4);
  expect(Number(failedCount)).toBeGreaterThanOrEqual(1);
  // The errors table shows the collector's own attribution (the shared stack also holds other specs' faults).
  const dashboard = (await (await fetch(`${stack.urls.collector}/api/dashboard`)).json()) as { errors: { byLayer: { service: string; spanName: string }[] } };
  const firstLayer = dashboard.errors.byLayer[0]!;
  await expect(standalone.locator('.errors-table tbody tr').first().locator('th')).toHaveText(`${firstLayer.service} / ${firstLayer.spanName}`);
  expect(Number(await standalone.locator('.ttft-table tr[data-layer="overall"] td').first().textContent())).toBeGreaterThanOrEqual(3);
  await standalone.screenshot({ path: join(imgDir, 'panel-demo-dashboard.png'), fullPage: true });
  await dashRow.locator('.open-trace').click();
  await expect(standalone.locator('.trace-view')).toHaveAttribute('data-trace-id', slowTrace);
});
