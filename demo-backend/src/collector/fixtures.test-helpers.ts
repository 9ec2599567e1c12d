import { randomBytes } from 'node:crypto';

export function hexId(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export interface TestSpanInput {
  traceId: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  startMs?: number;
  durationMs?: number;
  attributes?: Record<string, string | number | boolean>;
  error?: boolean;
}

function anyValue(value: string | number | boolean): Record<string, unknown> {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
}

/** An OTLP JSON ExportTraceServiceRequest with one resource (service.name) and one scope. */
export function otlpJson(service: string, spans: TestSpanInput[]): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [
          {
            scope: { name: 'test-scope', version: '1.0.0' },
            spans: spans.map((s) => {
              const startNs = BigInt(Math.round((s.startMs ?? 1_700_000_000_000) * 1e6));
              const endNs = startNs + BigInt(Math.round((s.durationMs ?? 10) * 1e6));
              return {
                traceId: s.traceId,
                spanId: s.spanId ?? hexId(8),
                ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
                name: s.name ?? 'span',
                kind: 1,
                startTimeUnixNano: startNs.toString(),
                endTimeUnixNano: endNs.toString(),
                attributes: Object.entries(s.attributes ?? {}).map(([key, value]) => ({ key, value: anyValue(value) })),
                status: s.error ? { code: 2, message: 'boom' } : {},
              };
            }),
          },
        ],
      },
    ],
  };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
