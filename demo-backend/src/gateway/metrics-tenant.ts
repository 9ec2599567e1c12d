import type { IncomingMessage } from 'node:http';

export const DEFAULT_TENANT = 'default';
/** Stands in for any tenant beyond the bound, so a caller cannot create unbounded series. */
export const OTHER_TENANT = '_other';
export const INVALID_TENANT = '_invalid';
const TENANT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Maps the caller-supplied tenant (`x-tenant-id` header, else `tenant` query parameter) to a
 * metric label value: `default` when absent, `_invalid` when malformed, and `_other` once
 * `maxTenants` distinct tenants have been seen.
 */
export function createTenantResolver(maxTenants = 50): (req: Pick<IncomingMessage, 'headers' | 'url'>) => string {
  const known = new Set<string>();
  return (req) => {
    const raw = tenantOf(req);
    if (raw === undefined) return DEFAULT_TENANT;
    if (!TENANT_PATTERN.test(raw)) return INVALID_TENANT;
    if (known.has(raw)) return raw;
    if (known.size >= maxTenants) return OTHER_TENANT;
    known.add(raw);
    return raw;
  };
}

function tenantOf(req: Pick<IncomingMessage, 'headers' | 'url'>): string | undefined {
  const header = req.headers['x-tenant-id'];
  const fromHeader = (Array.isArray(header) ? header[0] : header)?.trim();
  if (fromHeader) return fromHeader;
  const fromQuery = new URL(req.url ?? '/', 'http://gateway').searchParams.get('tenant')?.trim();
  return fromQuery || undefined;
}

/** The gateway's one resolver: the bound holds per process. */
export const resolveTenant = createTenantResolver();
