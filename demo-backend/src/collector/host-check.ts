const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function hostname(hostHeader: string): string {
  const bracket = /^(\[[^\]]*\])(?::\d+)?$/.exec(hostHeader);
  if (bracket?.[1]) return bracket[1].toLowerCase();
  return hostHeader.replace(/:\d+$/, '').toLowerCase();
}

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || LOOPBACK_HOSTS.has(`[${host.toLowerCase()}]`);
}

/**
 * When the collector listens on the loopback interface only, requests must also be addressed to a
 * loopback name. This defeats DNS rebinding: a web page whose own name was re-pointed at 127.0.0.1
 * would otherwise read the traces with same-origin requests that carry no Origin header.
 */
export function createHostCheck(boundHost: string): (hostHeader: string | undefined) => boolean {
  if (!isLoopbackHost(boundHost)) return () => true;
  return (hostHeader) => hostHeader !== undefined && LOOPBACK_HOSTS.has(hostname(hostHeader));
}
