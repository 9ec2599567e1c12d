import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { screenshotDir as imgDir } from './fixtures/screenshots.js';

// The same panel UI, standalone, served by the real dev collector at `/`: traces posted to
// /v1/traces show up from /api/traces (backfill) and /api/live (live feed).

const repo = fileURLToPath(new URL('../..', import.meta.url));
const collectorMain = join(repo, 'demo-backend/dist/collector/main.js');

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
const nanos = (ms: number): string => (BigInt(Math.round(ms * 1000)) * 1000n).toString();
const kv = (attrs: Record<string, string | number>) =>
  Object.entries(attrs).map(([key, value]) => ({
    key,
    value: typeof value === 'string' ? { stringValue: value } : Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value },
  }));

const CHUNK_EVENTS = 12;

function otlpTrace(n: number, t0: number) {
  const traceId = `${hex(0xdef, 8)}${hex(n, 24)}`;
  const id = (k: number): string => hex(n * 16 + k, 16);
  const span = (k: number, parent: number | undefined, name: string, kind: number, start: number, end: number, attrs: Record<string, string | number> = {}, events: { name: string; at: number; attrs?: Record<string, string | number> }[] = []) => ({
    traceId, spanId: id(k), ...(parent ? { parentSpanId: id(parent) } : {}), name, kind,
    startTimeUnixNano: nanos(t0 + start), endTimeUnixNano: nanos(t0 + end), attributes: kv(attrs),
    events: events.map((event) => ({ name: event.name, timeUnixNano: nanos(t0 + event.at), attributes: kv(event.attrs ?? {}) })),
    status: { code: 0 },
  });
  const resource = (service: string, spans: unknown[]) => ({ resource: { attributes: kv({ 'service.name': service }) }, scopeSpans: [{ scope: { name: 'e2e' }, spans }] });
  const chunkEvents = Array.from({ length: CHUNK_EVENTS }, (_, index) => ({
    name: 'chunk',
    at: 20 + 480 + index * 40,
    attrs: { 'streamtrace.chunk.index': index, 'streamtrace.chunk.bytes': 10, 'streamtrace.chunk.arrival_ms': 480 + index * 40, 'streamtrace.chunk.paint_ms': 500 + index * 40, 'streamtrace.chunk.reason': 'sample' },
  }));
  return {
    traceId,
    body: {
      resourceSpans: [
        resource('chat-web', [
          span(1, undefined, 'chat.message', 1, 0, 1200, { 'session.id': `session-${n % 2}`, 'streamtrace.message.id': `standalone-${n}`, 'streamtrace.message.outcome': 'complete', 'streamtrace.ttft_visible_ms': 520 }),
          span(2, 1, 'chat.stream', 3, 20, 1100, { 'streamtrace.stream.transport': 'eventsource', 'streamtrace.stream.chunks': CHUNK_EVENTS, 'streamtrace.chunk.first_arrival_ms': 480, 'streamtrace.chunk.first_paint_ms': 500 }, chunkEvents),
        ]),
        resource('chat-gateway', [
          span(3, 2, 'GET /api/chat/stream', 2, 35, 1090),
          span(4, 3, 'retrieval docs', 3, 45, 245, { 'gen_ai.operation.name': 'retrieval' }),
          span(5, 3, 'chat sim-gpt-1', 3, 250, 1050, { 'gen_ai.operation.name': 'chat', 'gen_ai.response.time_to_first_chunk': 0.18 }),
          span(6, 3, 'stream sse', 1, 248, 1080, {}, [{ name: 'stream.delta', at: 470 }]),
        ]),
      ],
    },
  };
}

let collector: ChildProcess | undefined;
let baseUrl = '';

test.beforeAll(async () => {
  if (!existsSync(collectorMain)) throw new Error(`${collectorMain} is missing: run \`npm run build\` first`);
  execFileSync(process.execPath, [join(repo, 'devtools-extension/build.mjs')], { cwd: repo, stdio: 'inherit' });
  const child = spawn(process.execPath, [collectorMain, '--panel-dir', join(repo, 'devtools-extension/dist/standalone')], {
    env: { ...process.env, COLLECTOR_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  collector = child;
  baseUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (data: Buffer) => {
      out += data.toString();
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (line) resolve(line.split(' ')[2]!.trim());
    });
    child.on('exit', (code) => reject(new Error(`collector exited with ${code}`)));
  });
});

test.afterAll(() => {
  collector?.kill('SIGTERM');
});

async function post(body: unknown): Promise<void> {
  const response = await fetch(`${baseUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
}

test('standalone panel on the dev collector: backfill, live feed, trace view', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 820 });
  const t0 = Date.now() - 10_000;
  const first = otlpTrace(1, t0);
  await post(first.body);

  await page.goto(`${baseUrl}/`);
  await expect(page.locator('.conn-connected')).toBeVisible();
  await expect(page.locator(`.message-row[data-trace-id="${first.traceId}"]`)).toContainText('standalone-1');

  for (let n = 2; n <= 6; n += 1) await post(otlpTrace(n, t0 + n * 1000).body);
  const last = otlpTrace(6, t0 + 6000);
  await expect(page.locator('.message-row')).toHaveCount(6);
  await expect(page.locator('.message-row').first()).toContainText('standalone-6');

  await page.locator(`.message-row[data-trace-id="${last.traceId}"]`).click();
  await expect(page.locator('.span-row .span-label')).toHaveText(['chat.message', 'chat.stream', 'GET /api/chat/stream', 'retrieval docs', 'stream sse', 'chat sim-gpt-1']);
  await expect(page.locator('.chunk-point')).toHaveCount(CHUNK_EVENTS);
  await expect(page.locator('.chunk-summary')).toContainText('sampled span events');
  await expect(page.locator('.breakdown-largest')).toContainText('retrieval');
  await page.screenshot({ path: join(imgDir, 'panel-standalone.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.locator('.span-row', { hasText: 'retrieval docs' }).click();
  await expect(page.locator('.span-details')).toContainText('gen_ai.operation.name');
  await page.screenshot({ path: join(imgDir, 'panel-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });

  // Session filter and search narrow the list.
  await page.locator('.session-filter').selectOption('session-1');
  await expect(page.locator('.message-row')).toHaveCount(3);
  await page.locator('.session-filter').selectOption('');
  await page.locator('.search').fill('standalone-4');
  await expect(page.locator('.message-row')).toHaveCount(1);
});

test('standalone panel: the list comes in the page and is drawn before the panel code has run; no list request', async ({ page }) => {
  const { traceId, body } = otlpTrace(7, Date.now() - 5000);
  await post(body);
  const events: string[] = [];
  page.on('request', (request) => {
    const { pathname, search } = new URL(request.url());
    if (pathname === '/api/traces') events.push(`request ${search}`);
  });
  page.on('requestfinished', (request) => {
    const { pathname, search } = new URL(request.url());
    if (pathname === '/api/traces') events.push(`answered ${search}`);
  });
  // The panel's module is held back until the list is on screen: only the page itself (the list
  // the collector put in it, drawn by its inline script) can have drawn it.
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route('**/index.js', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`${baseUrl}/?messages=50`, { waitUntil: 'commit' });
  await expect(page.locator(`.message-row[data-trace-id="${traceId}"]`)).toBeVisible();
  await expect(page.locator('.counts')).toHaveText(/^\d+ traces/);
  release();
  // The panel takes that list over: it connects, opens the trace on a click, and asks for the
  // newest trace's spans once; it never asks for the list itself.
  await expect(page.locator('.conn-connected')).toBeVisible();
  await expect.poll(() => events.filter((event) => event.startsWith('answered ?limit=1&spans=1')).length).toBe(1);
  await page.locator(`.message-row[data-trace-id="${traceId}"]`).click();
  await expect(page.locator('.span-row .span-label').first()).toHaveText('chat.message');
  expect(events.filter((event) => event.startsWith('request ?limit=50'))).toEqual([]);
});
