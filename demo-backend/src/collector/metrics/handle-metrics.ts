import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTENT_TYPES, negotiateFormat, renderMetrics } from './exposition.js';
import type { MetricRegistry } from './registry.js';

/** `GET /metrics`: OpenMetrics with exemplars when the scraper asks for it, else text 0.0.4. */
export function handleMetrics(req: IncomingMessage, res: ServerResponse, registry: MetricRegistry): void {
  const format = negotiateFormat(req.headers.accept);
  const body = renderMetrics(registry.families(), format);
  res.writeHead(200, { 'content-type': CONTENT_TYPES[format], 'content-length': Buffer.byteLength(body), vary: 'accept' });
  res.end(req.method === 'HEAD' ? undefined : body);
}
