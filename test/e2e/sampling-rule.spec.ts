// Sampling that teams can afford: a sampled-out session exports nothing for a fine message but keeps
// a failed one (streamtrace.sampling.kept_by=error, page errors on it); an operator raising the rate
// on the real dev collector (PUT /api/sampling) makes a fresh page load export everything.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { attr, sdkPage, startApp, type OtlpSpan } from './hardening-harness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SERVICE = 'sampling-e2e';

async function startRealCollector(): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, [join(root, 'demo-backend', 'dist', 'collector', 'main.js'), '--port', '0', '--panel-dir', '/nonexistent'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /READY streamtrace-collector (\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`collector exited ${code}`)));
  });
  return { url, process: child };
}

async function exportedSpans(collector: string): Promise<OtlpSpan[]> {
  const { traces } = (await (await fetch(`${collector}/api/traces?service=${SERVICE}&limit=100`)).json()) as { traces: { traceId: string }[] };
  const spans: OtlpSpan[] = [];
  for (const { traceId } of traces) {
    const { result } = (await (await fetch(`${collector}/api/v3/traces/${traceId}`)).json()) as {
      result: { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
    };
    for (const rs of result.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
  }
  return spans;
}

type PageApi = { st: { flush(): Promise<void>; startMessage(): { id: string; end(): void; fail(e: unknown): void }; sampling(): { sampleRate: number; source: string; reason?: string; sessionSampled: boolean } }; runFetch(count?: number, delay?: number): Promise<number> };

/** One message streamed over fetch; `fail` ends it with msg.fail() after an uncaught page error. */
function chat(page: Page, fail: boolean): Promise<string> {
  return page.evaluate(async (failIt) => {
    const w = window as unknown as PageApi;
    const msg = w.st.startMessage();
    await w.runFetch(3, 10);
    if (failIt) {
      setTimeout(() => {
        throw new TypeError('render crashed');
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      msg.fail(new Error('model-error'));
    } else {
      msg.end();
    }
    await w.st.flush();
    return msg.id;
  }, fail);
}

test('a sampled-out session exports only its failed message (kept_by=error); PUT /api/sampling brings new page loads in at 100%', async ({ browser }) => {
  const app = await startApp();
  const collector = await startRealCollector();
  const options = {
    serviceName: SERVICE,
    endpoint: `${collector.url}/v1/traces`,
    propagateTo: [app.base],
    sampleRate: 0,
    samplingRuleUrl: `${collector.url}/api/sampling`,
    pageHealth: false,
    scheduledDelayMillis: 50,
  };
  app.setPage('/chat.html', sdkPage(options));
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${app.base}/chat.html`);
    const fineId = await chat(page, false);
    const failedId = await chat(page, true);
    await expect.poll(async () => (await exportedSpans(collector.url)).length).toBeGreaterThan(0);
    await page.evaluate(() => (window as unknown as PageApi).st.flush());
    const spans = await exportedSpans(collector.url);
    // Nothing of the fine message, the whole failed one, every span marked.
    expect(spans.some((s) => attr(s, 'streamtrace.message.id') === fineId)).toBe(false);
    const message = spans.find((s) => s.name === 'chat.message') as OtlpSpan;
    expect(attr(message, 'streamtrace.message.id')).toBe(failedId);
    expect(attr(message, 'streamtrace.message.outcome')).toBe('error');
    expect(spans.map((s) => s.name).sort()).toEqual(['chat.message', 'chat.stream']);
    expect(spans.every((s) => attr(s, 'streamtrace.sampling.kept_by') === 'error' && s.traceId === message.traceId)).toBe(true);
    const stream = spans.find((s) => s.name === 'chat.stream') as OtlpSpan;
    expect(stream.parentSpanId).toBe(message.spanId);
    const pageError = message.events?.find((e) => e.name === 'exception' && attr(e, 'streamtrace.exception.source') === 'error');
    expect(pageError && attr(pageError, 'exception.type')).toBe('TypeError');
    expect(pageError && attr(pageError, 'exception.message')).toContain('render crashed');
    // The gateway was told "not sampled" for both messages.
    const flags = app.requests.filter((r) => r.path === '/chat').map((r) => String(r.headers['traceparent']).slice(-2));
    expect(flags).toEqual(['00', '00']);
    const stats = await page.evaluate(() => (window as unknown as PageApi).st.sampling());
    expect(stats).toMatchObject({ sampleRate: 0, source: 'config', sessionSampled: false, unsampled: { tracesKept: 1, tracesDiscarded: 1 } });
    await context.close();

    // Incident: the operator raises the rate on the collector (loopback only).
    const put = await fetch(`${collector.url}/api/sampling`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sampleRate: 1, ttlSeconds: 600, reason: 'incident-123' }),
    });
    expect(put.status).toBe(200);

    const incident = await browser.newContext();
    const fresh = await incident.newPage();
    await fresh.goto(`${app.base}/chat.html`);
    await expect.poll(() => fresh.evaluate(() => (window as unknown as PageApi).st.sampling().source)).toBe('rule');
    expect(await fresh.evaluate(() => (window as unknown as PageApi).st.sampling())).toMatchObject({ sampleRate: 1, reason: 'incident-123', sessionSampled: true });
    const sampledId = await chat(fresh, false);
    await expect.poll(async () => (await exportedSpans(collector.url)).filter((s) => s.name === 'chat.message' && attr(s, 'streamtrace.message.id') === sampledId).length).toBe(1);
    const all = await exportedSpans(collector.url);
    const sampledMessage = all.find((s) => s.name === 'chat.message' && attr(s, 'streamtrace.message.id') === sampledId) as OtlpSpan;
    const trace = all.filter((s) => s.traceId === sampledMessage.traceId);
    expect(trace.map((s) => s.name).sort()).toEqual(['chat.message', 'chat.stream']);
    expect(trace.every((s) => attr(s, 'streamtrace.sampling.kept_by') === undefined)).toBe(true);
    expect(String(app.requests.filter((r) => r.path === '/chat').at(-1)?.headers['traceparent'])).toBe(
      `00-${sampledMessage.traceId}-${(trace.find((s) => s.name === 'chat.stream') as OtlpSpan).spanId}-01`,
    );
    await incident.close();
  } finally {
    collector.process.kill('SIGTERM');
    await app.close();
  }
});
