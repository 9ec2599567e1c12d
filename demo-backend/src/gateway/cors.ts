import type { IncomingMessage, ServerResponse } from 'node:http';
import { ALLOW_HEADERS, EXPOSE_HEADERS } from '@streamtrace/node';

const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

export function isAllowedOrigin(origin: string | undefined, extra: readonly string[]): boolean {
  return origin !== undefined && (LOCAL_ORIGIN.test(origin) || extra.includes(origin));
}

/**
 * Sets CORS headers for allowed origins (localhost / 127.0.0.1 on any port, plus `extra`) and
 * answers preflights. Returns true when the request was a preflight and is fully handled.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, extra: readonly string[]): boolean {
  const origin = req.headers.origin;
  res.setHeader('vary', 'Origin');
  if (isAllowedOrigin(origin, extra)) {
    res.setHeader('access-control-allow-origin', origin!);
    res.setHeader('access-control-expose-headers', EXPOSE_HEADERS);
  }
  if (req.method !== 'OPTIONS') return false;
  if (isAllowedOrigin(origin, extra)) {
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    res.setHeader('access-control-allow-headers', ALLOW_HEADERS);
    res.setHeader('access-control-max-age', '600');
  }
  res.writeHead(204).end();
  return true;
}
