/** Served by the demo web server from its environment (GATEWAY_URL, COLLECTOR_URL). */
export interface PageConfig {
  gatewayUrl: string;
  collectorUrl: string;
}

export async function loadConfig(): Promise<PageConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`GET /config.json answered ${response.status}`);
  const body = (await response.json()) as Partial<PageConfig>;
  if (typeof body.gatewayUrl !== 'string' || typeof body.collectorUrl !== 'string') {
    throw new Error('config.json lacks gatewayUrl or collectorUrl');
  }
  return { gatewayUrl: trimSlash(body.gatewayUrl), collectorUrl: trimSlash(body.collectorUrl) };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
