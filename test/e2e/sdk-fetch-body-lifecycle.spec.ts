// A traced fetch body, with only the script tag on the page: the app cancelling it ends the stream
// (and the auto message) as `cancel`, BYOB readers work as on the network's own byte stream, and a
// body the app drops unread ends as `cancel` (`body_unread`) once collected — never one still held.
import { expect, test, type Page } from '@playwright/test';
import { messageOf, streamTagged, attr, scriptTagPage, sseSha256, startNewUserServer, type NewUserServer, type OtlpSpan } from './fixtures/new-user-server.js';

let server: NewUserServer;
test.beforeAll(async () => {
  server = await startNewUserServer();
});
test.afterAll(async () => {
  await server.close();
});

const page = (base: string, app: string): string => scriptTagPage({ endpoint: `${base}/v1/traces`, propagateTo: `${base}/sse` }, app);

const streamOf = (spans: OtlpSpan[], tag: string): OtlpSpan | undefined => streamTagged(spans, 'tag', tag);
const isError = (span: OtlpSpan | undefined): boolean => span?.status?.code === 2 || span?.status?.code === 'STATUS_CODE_ERROR';
const cancelReason = (span: OtlpSpan | undefined): unknown =>
  attr(span?.events?.find((e) => e.name === 'stream.cancel'), 'streamtrace.cancel.reason');

const call = (p: Page, name: string): Promise<unknown> =>
  p.evaluate((n) => (window as unknown as { app: Record<string, () => Promise<unknown>> }).app[n]!(), name);
const flush = (p: Page): Promise<void> => p.evaluate(() => (window as unknown as { flush(): Promise<void> }).flush());
const pageErrors = (p: Page): Promise<string[]> => p.evaluate(() => (window as unknown as { pageErrors: string[] }).pageErrors);

test('the app cancelling a traced body (reader.cancel, body.cancel, with or without a reason) ends stream and message as cancel', async ({ page: p }) => {
  server.setPage('/cancel.html', page(server.base, `
  const opened = async (tag) => {
    const res = await fetch('/sse?count=200&delay=10&mode=hold&tag=' + tag);
    const reader = res.body.getReader();
    await reader.read(); await reader.read();
    return { res, reader };
  };
  window.app = {
    readerReason: async () => { const { reader } = await opened('readerReason'); await reader.cancel('user pressed stop'); return (await reader.read()).done; },
    readerBare: async () => { const { reader } = await opened('readerBare'); await reader.cancel(); return (await reader.read()).done; },
    readerError: async () => { const { reader } = await opened('readerError'); await reader.cancel(new Error('x')); return (await reader.read()).done; },
    bodyCancel: async () => { const res = await fetch('/sse?count=200&delay=10&mode=hold&tag=bodyCancel'); await res.body.cancel(); return res.bodyUsed; },
  };`));
  await p.goto(`${server.base}/cancel.html`);
  for (const name of ['readerReason', 'readerBare', 'readerError']) expect(await call(p, name), name).toBe(true);
  expect(await call(p, 'bodyCancel')).toBe(true);
  // Cancelling released the connections, as natively.
  await expect.poll(() => server.openStreams()).toBe(0);
  expect(await pageErrors(p)).toEqual([]);
  await flush(p);

  const names = ['readerReason', 'readerBare', 'readerError', 'bodyCancel'];
  await expect.poll(() => names.filter((n) => messageOf(server.spans(), streamOf(server.spans(), n))).length).toBe(names.length);
  const spans = server.spans();
  for (const name of names) {
    const stream = streamOf(spans, name);
    const message = messageOf(spans, stream);
    expect([attr(stream, 'streamtrace.stream.outcome'), attr(message, 'streamtrace.message.outcome')], name).toEqual(['cancel', 'cancel']);
    expect(isError(stream) || isError(message), name).toBe(false);
    expect(attr(stream, 'error.type'), name).toBeUndefined();
  }
  expect(cancelReason(streamOf(spans, 'readerReason'))).toBe('user pressed stop');
  expect(cancelReason(streamOf(spans, 'readerBare'))).toBe('reader.cancel');
  expect(Number(attr(streamOf(spans, 'readerReason'), 'streamtrace.stream.chunks'))).toBeGreaterThanOrEqual(1);
});

test('BYOB readers read a traced body as the network byte stream: exact bytes into small buffers, done, stream complete', async ({ page: p }) => {
  const query = 'count=5&size=40&split=1&delay=3';
  server.setPage('/byob.html', page(server.base, `
  const byob = async (res, size) => {
    const reader = res.body.getReader({ mode: 'byob' });
    const parts = [];
    for (;;) {
      const { done, value } = await reader.read(new Uint8Array(size));
      if (done) return sha256(parts);
      parts.push(value.slice());
    }
  };
  window.app = {
    small: async () => byob(await fetch('/sse?${query}&tag=small'), 7),
    large: async () => byob(await fetch('/sse?${query}&tag=large'), 65536),
    // Natively fetch bodies are byte streams; an app may check before choosing a reader.
    sameShape: async () => {
      const res = await fetch('/sse?${query}&tag=sameShape');
      const r = res.body.getReader({ mode: 'byob' });
      const first = await r.read(new Uint8Array(4), { min: 4 });
      r.releaseLock();
      const parts = [first.value]; const d = res.body.getReader();
      for (;;) { const { done, value } = await d.read(); if (done) break; parts.push(value); }
      return [first.value.byteLength, String(res.body instanceof ReadableStream), await sha256(parts)];
    },
  };`));
  await p.goto(`${server.base}/byob.html`);
  const expected = sseSha256(query);
  expect(await call(p, 'small')).toBe(expected);
  expect(await call(p, 'large')).toBe(expected);
  expect(await call(p, 'sameShape')).toEqual([4, 'true', expected]);
  expect(await pageErrors(p)).toEqual([]);
  await flush(p);

  const names = ['small', 'large', 'sameShape'];
  await expect.poll(() => names.filter((n) => messageOf(server.spans(), streamOf(server.spans(), n))).length).toBe(names.length);
  const spans = server.spans();
  for (const name of names) {
    const stream = streamOf(spans, name);
    expect(attr(stream, 'streamtrace.stream.outcome'), name).toBe('complete');
    expect(attr(messageOf(spans, stream), 'streamtrace.message.outcome'), name).toBe('complete');
    expect(attr(stream, 'streamtrace.stream.chunks'), name).toBe(6); // 5 deltas + done, whatever the buffer size
  }
});

test('a body dropped unread ends as cancel (body_unread) when collected; a body still held (or only its stream) is read in full after that', async ({ page: p }) => {
  const query = 'count=3&delay=3';
  server.setPage('/unread.html', page(server.base, `
  window.app = {
    probe: async () => { const res = await fetch('/sse?${query}&tag=probe'); return res.status; },
    probeHeld: async () => { const res = await fetch('/sse?count=200&delay=10&mode=hold&tag=probeHeld'); return res.ok; },
    // Nothing holds this Response: only the app's pending text() does (through the SDK's stream).
    textUnheld: () => { fetch('/sse?count=40&delay=15&tag=textUnheld').then((r) => r.text()).then(async (t) => { window.textUnheld = await sha256([new TextEncoder().encode(t)]); }); return true; },
    // Nothing holds this reader: only its own pending read (natively, the network keeps that alive).
    readerUnheld: () => {
      (async () => {
        const reader = (await fetch('/sse?count=40&delay=15&tag=readerUnheld')).body.getReader();
        const parts = [];
        for (;;) { const { done, value } = await reader.read(); if (done) break; parts.push(value); }
        window.readerUnheld = await sha256(parts);
      })();
      return true;
    },
    keep: async () => { window.keptResponse = await fetch('/sse?${query}&tag=keptResponse'); window.keptBody = (await fetch('/sse?${query}&tag=keptBody')).body; return true; },
    readKept: async () => {
      const text = new Uint8Array(await window.keptResponse.arrayBuffer());
      const parts = []; const reader = window.keptBody.getReader();
      for (;;) { const { done, value } = await reader.read(); if (done) break; parts.push(value); }
      return [await sha256([text]), await sha256(parts)];
    },
  };`));
  await p.goto(`${server.base}/unread.html`);
  expect(await call(p, 'probe')).toBe(200);
  expect(await call(p, 'probeHeld')).toBe(true);
  expect(await call(p, 'keep')).toBe(true);
  await p.waitForTimeout(300); // the finite bodies are fully sent
  expect(await call(p, 'textUnheld')).toBe(true); // still streaming through the collections below
  expect(await call(p, 'readerUnheld')).toBe(true);
  await p.waitForTimeout(50);
  const cdp = await p.context().newCDPSession(p);
  await cdp.send('HeapProfiler.collectGarbage');
  await p.waitForTimeout(100); // finalizers run in a later task
  await cdp.send('HeapProfiler.collectGarbage');
  // The held-open body was released towards the server.
  await expect.poll(() => server.openStreams()).toBe(0);
  await flush(p);
  await expect.poll(() => ['probe', 'probeHeld'].filter((n) => messageOf(server.spans(), streamOf(server.spans(), n))).length).toBe(2);

  const expected = sseSha256(query);
  expect(await call(p, 'readKept')).toEqual([expected, expected]);
  await expect.poll(() => p.evaluate(() => (window as unknown as { textUnheld?: string }).textUnheld)).toBe(sseSha256('count=40&delay=15'));
  await expect.poll(() => p.evaluate(() => (window as unknown as { readerUnheld?: string }).readerUnheld)).toBe(sseSha256('count=40&delay=15'));
  expect(await pageErrors(p)).toEqual([]);
  await flush(p);
  await expect.poll(() => ['keptResponse', 'keptBody', 'textUnheld', 'readerUnheld'].filter((n) => messageOf(server.spans(), streamOf(server.spans(), n))).length).toBe(4);
  const spans = server.spans();
  for (const name of ['probe', 'probeHeld']) {
    const stream = streamOf(spans, name);
    expect([attr(stream, 'streamtrace.stream.outcome'), attr(messageOf(spans, stream), 'streamtrace.message.outcome')], name).toEqual(['cancel', 'cancel']);
    expect(cancelReason(stream), name).toBe('body_unread');
    expect(isError(stream), name).toBe(false);
  }
  for (const [name, chunks] of [['keptResponse', 4], ['keptBody', 4], ['textUnheld', 41], ['readerUnheld', 41]] as const) {
    const stream = streamOf(spans, name);
    expect(attr(stream, 'streamtrace.stream.outcome'), name).toBe('complete');
    expect(attr(stream, 'streamtrace.stream.chunks'), name).toBe(chunks);
  }
});
