// @vitest-environment node
// Node's own fetch, CompressionStream and HTTP server: the sender's requests as a collector sees them.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetchPost, type FetchSenderOptions } from './fetch-sender.js';
import { gzip } from './gzip.js';

interface Received {
  encoding: string | undefined;
  text: string;
}

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A collector that answers `status(headers)` and records every body, gunzipped when it says gzip. */
async function collector(status: (headers: IncomingHttpHeaders) => number = () => 200): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const raw = Buffer.concat(parts);
      const encoding = req.headers['content-encoding'];
      received.push({ encoding, text: (encoding === 'gzip' ? gunzipSync(raw) : raw).toString() });
      res.statusCode = status(req.headers);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/v1/traces`, received };
}

const payload = (n: number): Uint8Array =>
  new TextEncoder().encode(JSON.stringify({ events: Array.from({ length: n }, (_, i) => ({ name: 'chunk', index: i, arrival: 100 + i * 7.3 })) }));

/** Fails like a browser whose CORS preflight refused the Content-Encoding header. */
const corsRefusesEncoding: (input: string, init: RequestInit) => Promise<Response> = (input, init) =>
  (init.headers as Record<string, string>)['content-encoding'] !== undefined ? Promise.reject(new TypeError('Failed to fetch')) : fetch(input, init);

/** What `init({ compression: gzip })` makes of the plain request. */
const warnings: string[] = [];
const gzipSender = (options: FetchSenderOptions) => gzip(createFetchPost(options), (message) => warnings.push(message));

describe('gzip compression of exports', () => {
  it('gzip: the collector gets Content-Encoding gzip and, unpacked, the exact body, several times smaller on the wire; sends while the page is leaving go uncompressed', async () => {
    const { url, received } = await collector();
    let wireBytes = 0;
    const send = gzipSender({ url, headers: {}, timeoutMs: 5000, fetch: (input, init) => {
      wireBytes += (init.body as Uint8Array).byteLength;
      return fetch(input, init);
    } });
    const body = payload(80);
    expect(await send(body, false)).toEqual({ kind: 'ok' });
    expect(received).toEqual([{ encoding: 'gzip', text: new TextDecoder().decode(body) }]);
    expect(wireBytes * 4).toBeLessThan(body.byteLength);
    expect(await send(payload(3), true)).toEqual({ kind: 'ok' });
    expect(received[1]).toEqual({ encoding: undefined, text: new TextDecoder().decode(payload(3)) });
  });

  it('the page leaving while a body is being compressed: that body is posted uncompressed at once, and only once', async () => {
    const { url, received } = await collector();
    const send = gzipSender({ url, headers: {}, timeoutMs: 5000 });
    const body = payload(80);
    const sending = send(body, false);
    send.leave?.(); // what the queue's sendNow() does on pagehide, before the compression finished
    expect(await sending).toEqual({ kind: 'ok' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toEqual([{ encoding: undefined, text: new TextDecoder().decode(body) }]);
  });

  it('without the option (the plain request) nothing is compressed', async () => {
    const { url, received } = await collector();
    const send = createFetchPost({ url, headers: { authorization: 'Bearer t' }, timeoutMs: 5000 });
    expect(await send(payload(5))).toEqual({ kind: 'ok' });
    expect(received.map((r) => r.encoding)).toEqual([undefined]);
  });

  it('a collector answering 415 to gzip gets the same body uncompressed at once, and uncompressed from then on', async () => {
    const { url, received } = await collector((headers) => (headers['content-encoding'] ? 415 : 200));
    const send = gzipSender({ url, headers: {}, timeoutMs: 5000 });
    expect(await send(payload(4), false)).toEqual({ kind: 'ok' });
    expect(await send(payload(6), false)).toEqual({ kind: 'ok' });
    expect(received.map((r) => r.encoding)).toEqual(['gzip', undefined, undefined]);
    expect(received[1]!.text).toBe(received[0]!.text);
    expect(received[2]!.text).toBe(new TextDecoder().decode(payload(6)));
  });

  it('CORS refusing Content-Encoding (a network error only when compressed): delivered uncompressed, compression off for the page', async () => {
    const { url, received } = await collector();
    const send = gzipSender({ url, headers: {}, timeoutMs: 5000, fetch: corsRefusesEncoding });
    expect(await send(payload(4), false)).toEqual({ kind: 'ok' });
    expect(await send(payload(5), false)).toEqual({ kind: 'ok' });
    expect(received.map((r) => r.encoding)).toEqual([undefined, undefined]);
    expect(warnings.at(-1)).toBe('gzip export refused (network error: TypeError: Failed to fetch): sending uncompressed');
  });

  it('collector down: the batch is kept for a retry and compression stays on for when it is back', async () => {
    let up = false;
    const { url, received } = await collector();
    const attempts: (string | undefined)[] = [];
    const send = gzipSender({ url, headers: {}, timeoutMs: 5000, fetch: (input, init) => {
      attempts.push((init.headers as Record<string, string>)['content-encoding']);
      return up ? fetch(input, init) : Promise.reject(new TypeError('Failed to fetch'));
    } });
    const outcome = await send(payload(4), false);
    expect(outcome.kind).toBe('retry');
    expect(attempts).toEqual(['gzip', undefined]);
    up = true;
    expect(await send(payload(4), false)).toEqual({ kind: 'ok' });
    expect(received.map((r) => r.encoding)).toEqual(['gzip']);
  });

  it('once a compressed request got through, a later network error is not followed by an uncompressed copy', async () => {
    let up = true;
    const { url } = await collector();
    const attempts: (string | undefined)[] = [];
    const send = gzipSender({ url, headers: {}, timeoutMs: 5000, fetch: (input, init) => {
      attempts.push((init.headers as Record<string, string>)['content-encoding']);
      return up ? fetch(input, init) : Promise.reject(new TypeError('Failed to fetch'));
    } });
    expect(await send(payload(4), false)).toEqual({ kind: 'ok' });
    up = false;
    expect((await send(payload(4), false)).kind).toBe('retry');
    expect(attempts).toEqual(['gzip', 'gzip']);
  });
});
