import type { Attributes } from '@opentelemetry/api';

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-([\da-f]{16})-[\da-f]{2}$/;

/** What the server told us about its side of the trace (response headers). */
export function serverAttributes(get: (name: string) => string | null): Attributes {
  const out: Attributes = {};
  const traceparent = get('traceparent');
  const match = traceparent ? TRACEPARENT.exec(traceparent.trim().toLowerCase()) : null;
  const traceId = match?.[1] ?? get('x-trace-id')?.trim().toLowerCase();
  if (traceId && /^[\da-f]{32}$/.test(traceId)) out['streamtrace.server.trace_id'] = traceId;
  if (match) out['streamtrace.server.span_id'] = match[2];
  const timing = get('server-timing');
  if (timing) {
    // Server-Timing: name;dur=12.3;desc="x", name2;dur=4
    for (const entry of timing.split(',').slice(0, 20)) {
      const [name, ...params] = entry.split(';').map((p) => p.trim()) as [string, ...string[]];
      if (!/^[\w.-]{1,64}$/.test(name)) continue;
      for (const param of params) {
        const [key, raw] = param.split('=');
        if (key?.trim().toLowerCase() === 'dur' && raw !== undefined) {
          const value = Number(raw.replace(/"/g, ''));
          if (Number.isFinite(value)) out[`streamtrace.server_timing.${name}_ms`] = value;
        }
      }
    }
  }
  return out;
}
