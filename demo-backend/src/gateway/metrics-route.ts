import type { ServerResponse } from 'node:http';
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from '../telemetry/prometheus.js';

/** `GET /metrics`: the gateway's metrics in Prometheus text format (503 when not started with register.js). */
export async function handleMetrics(res: ServerResponse): Promise<void> {
  const text = await renderPrometheus();
  if (text === undefined) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('metrics are not enabled: start the gateway with --import demo-backend/dist/telemetry/register.js\n');
    return;
  }
  res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' });
  res.end(text);
}
