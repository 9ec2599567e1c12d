// Default imports on purpose: these are the CommonJS objects instrumentation-http patches, so
// every upstream call gets an HTTP CLIENT span and an injected traceparent.
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { CancelledError, UpstreamError } from './upstream-error.js';

export interface PostOptions {
  headers?: Record<string, string>;
  signal: AbortSignal;
  /** Fails with `timeout` when no response headers arrive in time. */
  timeoutMs: number;
}

/** POSTs JSON and resolves with the response (body unread), or rejects with UpstreamError / CancelledError. */
export function postJson(url: string, body: unknown, options: PostOptions): Promise<IncomingMessage> {
  const payload = JSON.stringify(body);
  const target = new URL(url);
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) return reject(new CancelledError());
    let settled = false;
    const req = transport.request(target, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'content-length': Buffer.byteLength(payload),
        ...options.headers,
      },
    });
    const timer = setTimeout(() => fail(new UpstreamError('timeout', `no response from ${target.host} in ${options.timeoutMs} ms`)), options.timeoutMs);
    const onAbort = (): void => fail(new CancelledError());
    options.signal.addEventListener('abort', onAbort, { once: true });
    function cleanup(): void {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
    }
    function fail(error: Error): void {
      if (settled) return;
      settled = true;
      cleanup();
      req.destroy();
      reject(error);
    }
    req.on('error', (error: NodeJS.ErrnoException) => {
      fail(new UpstreamError(error.code === 'ECONNREFUSED' ? 'connection_refused' : (error.code ?? 'network_error'), error.message));
    });
    req.on('response', (res) => {
      if (settled) {
        res.destroy();
        return;
      }
      settled = true;
      cleanup();
      // Later aborts (client gone mid-stream) must still tear the upstream stream down.
      const abortBody = (): void => {
        res.destroy();
        req.destroy();
      };
      if (options.signal.aborted) abortBody();
      else options.signal.addEventListener('abort', abortBody, { once: true });
      res.once('close', () => options.signal.removeEventListener('abort', abortBody));
      resolve(res);
    });
    req.end(payload);
  });
}

/** Reads a whole (small) response body, refusing more than `limit` bytes. */
export async function readBody(res: IncomingMessage, limit = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      res.destroy();
      throw new UpstreamError('response_too_large', `upstream response over ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
