// Existing chat code reads fetch bodies in many ways. With only the script tag on the page, every
// style must give the app the exact bytes the server sent, and end its chat.stream (and the
// auto-started chat.message) with the outcome the app caused: complete, or cancel.
import { expect, test } from '@playwright/test';
import { attr, gotoPage, scriptTagPage, sseSha256, startNewUserServer, type NewUserServer, type OtlpSpan } from './fixtures/new-user-server.js';

let server: NewUserServer;
test.beforeAll(async () => {
  server = await startNewUserServer();
});
test.afterAll(async () => {
  await server.close();
});

const QUERY = 'count=6&size=40&split=1&delay=3';

/** Each style reads `/sse?${QUERY}&style=<name>` and resolves with the SHA-256 of what it got. */
const styles: Record<string, string> = {
  forAwait: `
    const parts = [];
    for await (const c of res.body) parts.push(c);
    return sha256(parts);`,
  textDecoderStream: `
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    for (;;) { const { done, value } = await reader.read(); if (done) break; text += value; }
    return sha256([new TextEncoder().encode(text)]);`,
  pipeToWritable: `
    const parts = [];
    await res.body.pipeTo(new WritableStream({ write(c) { parts.push(c); } }));
    return sha256(parts);`,
  tee: `
    const [a, b] = res.body.tee();
    const drain = async (s) => { const parts = []; const r = s.getReader(); for (;;) { const { done, value } = await r.read(); if (done) return sha256(parts); parts.push(value); } };
    const [x, y] = await Promise.all([drain(a), drain(b)]);
    return x === y ? x : 'tee branches differ';`,
  cloneFirst: `
    const copy = res.clone();
    const first = new Uint8Array(await copy.arrayBuffer());
    const second = new Uint8Array(await res.arrayBuffer());
    const [x, y] = [await sha256([first]), await sha256([second])];
    return x === y ? x : 'clone differs';`,
  text: `
    return sha256([new TextEncoder().encode(await res.text())]);`,
  blob: `
    return sha256([new Uint8Array(await (await res.blob()).arrayBuffer())]);`,
  lateRead: `
    await new Promise((r) => setTimeout(r, 400));
    const parts = []; const reader = res.body.getReader();
    for (;;) { const { done, value } = await reader.read(); if (done) break; parts.push(value); }
    return sha256(parts);`,
  responseWrappedAgain: `
    // Libraries re-wrap bodies: new Response(res.body) must still drain the traced stream.
    return sha256([new Uint8Array(await new Response(res.body).arrayBuffer())]);`,
};

const page = (base: string): string =>
  scriptTagPage({ endpoint: `${base}/v1/traces`, propagateTo: `${base}/sse` }, `
  window.styles = {};
  ${Object.entries(styles).map(([name, body]) => `window.styles[${JSON.stringify(name)}] = async () => {
    const res = await fetch('/sse?${QUERY}&style=${name}', { method: 'POST', body: '{}' });
    ${body}
  };`).join('\n')}
  window.cancelled = {
    readerCancel: async () => {
      const res = await fetch('/sse?count=200&delay=10&mode=hold&style=readerCancel');
      const reader = res.body.getReader();
      await reader.read(); await reader.read();
      await reader.cancel('user pressed stop');
      return (await reader.read()).done;
    },
    abortController: async () => {
      const ac = new AbortController();
      const res = await fetch('/sse?count=200&delay=10&mode=hold&style=abortController', { signal: ac.signal });
      const reader = res.body.getReader();
      await reader.read();
      ac.abort();
      try { await reader.read(); return 'read after abort resolved'; } catch (e) { return e.name; }
    },
    bodyCancel: async () => {
      const res = await fetch('/sse?count=200&delay=10&mode=hold&style=bodyCancel');
      await res.body.cancel();
      return res.bodyUsed;
    },
    teeOneBranchCancelled: async () => {
      const res = await fetch('/sse?${QUERY}&style=teeOneBranchCancelled');
      const [a, b] = res.body.tee();
      // (A tee branch's cancel() settles only once both branches are cancelled or done.)
      const cancelled = a.cancel('not needed');
      const parts = []; const r = b.getReader();
      for (;;) { const { done, value } = await r.read(); if (done) break; parts.push(value); }
      await cancelled;
      return sha256(parts);
    },
  };`);

const streamOf = (spans: OtlpSpan[], style: string): OtlpSpan | undefined =>
  spans.find((s) => s.name === 'chat.stream' && String(attr(s, 'url.full')).endsWith(`style=${style}`));

test('every way of reading a fetch body gets the exact bytes, and each message ends complete in its own trace', async ({ page: p }) => {
  server.setPage('/styles.html', page(server.base));
  await gotoPage(p, server, `${server.base}/styles.html`);
  const expected = sseSha256(QUERY);
  for (const name of Object.keys(styles)) {
    const got = await p.evaluate((n) => (window as unknown as { styles: Record<string, () => Promise<string>> }).styles[n]!(), name);
    expect(got, name).toBe(expected);
  }
  expect(await p.evaluate(() => (window as unknown as { pageErrors: string[] }).pageErrors)).toEqual([]);
  await p.evaluate(() => (window as unknown as { flush(): Promise<void> }).flush());

  await expect.poll(() => Object.keys(styles).filter((n) => streamOf(server.spans(), n)).length).toBe(Object.keys(styles).length);
  const spans = server.spans();
  const traces = new Set<string>();
  for (const name of Object.keys(styles)) {
    const stream = streamOf(spans, name) as OtlpSpan;
    const message = spans.find((s) => s.name === 'chat.message' && s.spanId === stream.parentSpanId);
    expect(message, `${name}: its auto message`).toBeDefined();
    expect(attr(message, 'streamtrace.message.outcome'), name).toBe('complete');
    expect(attr(stream, 'streamtrace.stream.outcome'), name).toBe('complete');
    expect(attr(stream, 'streamtrace.stream.chunks'), name).toBe(7); // 6 deltas + done
    expect(Number(attr(stream, 'streamtrace.chunk.first_arrival_ms')), name).toBeGreaterThan(0);
    traces.add(stream.traceId);
    // The server got this stream's own context.
    const request = server.requests.find((r) => r.path === '/sse' && r.query.get('style') === name);
    expect(request?.headers.traceparent, name).toBe(`00-${stream.traceId}-${stream.spanId}-01`);
  }
  expect(traces.size).toBe(Object.keys(styles).length);
});

// A Stop button built on reader.cancel() / body.cancel() is a cancel, not a failed message.
test('cancelled reads: the app sees what it would natively, the connection closes; abort ends as cancel, a cancelled tee branch does not cut the other', async ({ page: p }) => {
  server.setPage('/cancel.html', page(server.base));
  await gotoPage(p, server, `${server.base}/cancel.html`);
  const run = (name: string): Promise<unknown> =>
    p.evaluate((n) => (window as unknown as { cancelled: Record<string, () => Promise<unknown>> }).cancelled[n]!(), name);
  expect(await run('readerCancel')).toBe(true);
  expect(await run('abortController')).toBe('AbortError');
  expect(await run('bodyCancel')).toBe(true);
  expect(await run('teeOneBranchCancelled')).toBe(sseSha256(QUERY));
  // The held-open streams were really closed towards the server (nothing keeps reading them).
  await expect.poll(() => server.openStreams()).toBe(0);
  expect(await p.evaluate(() => (window as unknown as { pageErrors: string[] }).pageErrors)).toEqual([]);
  await p.evaluate(() => (window as unknown as { flush(): Promise<void> }).flush());

  const names = ['readerCancel', 'abortController', 'bodyCancel', 'teeOneBranchCancelled'];
  await expect.poll(() => names.filter((n) => streamOf(server.spans(), n)).length).toBe(names.length);
  const spans = server.spans();
  const outcome = (name: string): [unknown, unknown] => {
    const stream = streamOf(spans, name) as OtlpSpan;
    const message = spans.find((s) => s.name === 'chat.message' && s.spanId === stream.parentSpanId);
    return [attr(stream, 'streamtrace.stream.outcome'), attr(message, 'streamtrace.message.outcome')];
  };
  expect(outcome('abortController')).toEqual(['cancel', 'cancel']);
  expect(outcome('readerCancel')).toEqual(['cancel', 'cancel']);
  expect(outcome('bodyCancel')).toEqual(['cancel', 'cancel']);
  expect(outcome('teeOneBranchCancelled')).toEqual(['complete', 'complete']);
  expect(attr(streamOf(spans, 'readerCancel'), 'streamtrace.stream.chunks')).toBeGreaterThanOrEqual(1);
});
