import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

const gunzipAsync = promisify(gunzip);

export interface RequestBody {
  /** The bytes as they arrived (still gzip-compressed if they were). */
  received: Buffer;
  /** The bytes after content decoding. */
  decoded: Buffer;
}

/**
 * Reads a request body of at most `maxBytes` (before and after gzip decoding). Refuses with 413 as
 * soon as the limit is known to be exceeded, without reading the rest, and with 408 when no byte
 * arrives for `idleMs` (a client trickling its body must not hold the request open for ever).
 */
export async function readBody(req: IncomingMessage, maxBytes: number, idleMs = 0): Promise<RequestBody> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new HttpError(415, `unsupported content-encoding ${encoding}`);
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new HttpError(413, `body larger than ${maxBytes} bytes`);
  }
  const raw = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let idleTimer: NodeJS.Timeout | undefined;
    const armIdleTimer = (): void => {
      if (idleMs <= 0) return;
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        cleanup();
        reject(new HttpError(408, `no body bytes received for ${idleMs} ms`));
      }, idleMs);
    };
    const onData = (chunk: Buffer): void => {
      armIdleTimer();
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        reject(new HttpError(413, `body larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(new HttpError(400, `request aborted: ${error.message}`));
    };
    const onClose = (): void => {
      if (!req.complete) onError(new Error('connection closed'));
    };
    const cleanup = (): void => {
      clearTimeout(idleTimer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
    armIdleTimer();
  });
  if (encoding !== 'gzip') return { received: raw, decoded: raw };
  try {
    return { received: raw, decoded: await gunzipAsync(raw, { maxOutputLength: maxBytes }) };
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new HttpError(413, `decompressed body larger than ${maxBytes} bytes`);
    }
    throw new HttpError(400, 'malformed gzip body');
  }
}
