import type { IncomingMessage, ServerResponse } from 'node:http';

/** Browser pages on the developer's own machine, any port. */
export const DEFAULT_ALLOW_ORIGINS: readonly string[] = [
  'http://localhost:*',
  'https://localhost:*',
  'http://127.0.0.1:*',
  'https://127.0.0.1:*',
  'http://[::1]:*',
  'https://[::1]:*',
];

/** The DevTools panel fetches from the collector, whatever allow-list is configured. */
const ALWAYS_ALLOWED = ['chrome-extension://*'];

const ALLOW_HEADERS = [
  'content-type',
  'content-encoding',
  'accept',
  'authorization',
  'last-event-id',
  'traceparent',
  'tracestate',
  'baggage',
  'x-session-id',
  'x-message-id',
].join(', ');

function patternToRegExp(pattern: string): RegExp {
  if (pattern === '*') return /^.*$/;
  const escape = (text: string): string => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  // `host:*` also matches the origin without a port (default port).
  const withPort = pattern.endsWith(':*') ? `${escape(pattern.slice(0, -2))}(?::\\d{1,5})?` : null;
  const body = withPort ?? pattern.split('*').map(escape).join('[^/]*');
  return new RegExp(`^${body}$`, 'i');
}

export interface CorsPolicy {
  isAllowed(origin: string, host?: string): boolean;
  /**
   * Adds CORS headers for an allowed origin. Returns false when the request carries an Origin that
   * is not allowed (the caller refuses it with 403).
   */
  apply(req: IncomingMessage, res: ServerResponse): boolean;
}

export function createCorsPolicy(allowOrigins: readonly string[] = DEFAULT_ALLOW_ORIGINS): CorsPolicy {
  const patterns = [...allowOrigins, ...ALWAYS_ALLOWED].map((p) => p.trim()).filter(Boolean).map(patternToRegExp);

  const isAllowed = (origin: string, host?: string): boolean => {
    // Same origin: the standalone panel served by the collector itself, whatever host it was reached by.
    if (host && (origin === `http://${host}` || origin === `https://${host}`)) return true;
    return patterns.some((re) => re.test(origin));
  };

  return {
    isAllowed,
    apply(req, res) {
      const origin = req.headers.origin;
      if (origin === undefined) return true;
      if (!isAllowed(origin, req.headers.host)) return false;
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      // Browser exporters back off by Retry-After on 429/503 only if they are allowed to read it.
      res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
        res.setHeader('Access-Control-Allow-Headers', ALLOW_HEADERS);
        res.setHeader('Access-Control-Max-Age', '600');
        if (req.headers['access-control-request-private-network'] === 'true') {
          res.setHeader('Access-Control-Allow-Private-Network', 'true');
        }
      }
      return true;
    },
  };
}
