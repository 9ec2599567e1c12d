import type { OtlpResourceLogs } from './otlp-types';

/**
 * `GET {baseUrl}/api/logs/{traceId}` of the dev collector. Undefined when the endpoint has no such
 * route (Jaeger, Tempo) or answers something that is not `{ resourceLogs: [...] }`.
 */
export async function fetchTraceLogs(
  baseUrl: string,
  traceId: string,
  options: { fetch?: typeof fetch; signal?: AbortSignal } = {},
): Promise<OtlpResourceLogs[] | undefined> {
  if (!/^[0-9a-f]{32}$/.test(traceId)) return undefined;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const response = await doFetch(`${baseUrl.replace(/\/+$/, '')}/api/logs/${traceId}`, {
    headers: { accept: 'application/json' },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!response.ok) return undefined;
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return undefined;
  }
  const list = (body as { resourceLogs?: unknown } | null)?.resourceLogs;
  return Array.isArray(list) ? (list.filter((item) => typeof item === 'object' && item !== null) as OtlpResourceLogs[]) : undefined;
}
