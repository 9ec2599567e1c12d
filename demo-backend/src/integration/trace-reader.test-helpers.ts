// Reads traces back from the dev collector (GET /api/v3/traces/{id}) as flat, easy-to-assert spans.

export interface FlatSpan {
  service: string;
  name: string;
  kind: number;
  spanId: string;
  parentSpanId: string;
  attributes: Record<string, unknown>;
  events: { name: string; attributes: Record<string, unknown> }[];
  statusCode: number;
  durationMs: number;
}

export const KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3 } as const;
export const STATUS_ERROR = 2;

interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number | string;
  arrayValue?: { values?: AnyValue[] };
}
interface KeyValue {
  key: string;
  value: AnyValue;
}
interface OtlpSpan {
  name: string;
  kind: number;
  spanId: string;
  parentSpanId?: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: KeyValue[];
  events?: { name: string; attributes?: KeyValue[] }[];
  status?: { code?: number };
}
interface OtlpTrace {
  result: { resourceSpans: { resource?: { attributes?: KeyValue[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[] };
}

function value(v: AnyValue): unknown {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return Number(v.doubleValue);
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(value);
  return undefined;
}

function attributes(list: KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, value(kv.value)]));
}

export async function fetchTrace(collectorUrl: string, traceId: string): Promise<FlatSpan[]> {
  const response = await fetch(`${collectorUrl}/api/v3/traces/${traceId}`);
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`collector answered ${response.status}`);
  const body = (await response.json()) as OtlpTrace;
  const spans: FlatSpan[] = [];
  for (const rs of body.result.resourceSpans) {
    const service = String(attributes(rs.resource?.attributes)['service.name']);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        spans.push({
          service,
          name: s.name,
          kind: s.kind,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId ?? '',
          attributes: attributes(s.attributes),
          events: (s.events ?? []).map((e) => ({ name: e.name, attributes: attributes(e.attributes) })),
          statusCode: s.status?.code ?? 0,
          durationMs: Number((BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)) / 1000n) / 1000,
        });
      }
    }
  }
  return spans;
}

/**
 * Polls until `ready(spans)` holds and the span count stayed the same over one more poll
 * (services export in batches), or fails with what it saw.
 */
export async function waitForTrace(
  collectorUrl: string,
  traceId: string,
  ready: (spans: FlatSpan[]) => boolean,
  timeoutMs = 20_000,
): Promise<FlatSpan[]> {
  const deadline = Date.now() + timeoutMs;
  let spans: FlatSpan[] = [];
  let lastCount = -1;
  while (Date.now() < deadline) {
    spans = await fetchTrace(collectorUrl, traceId);
    if (ready(spans) && spans.length === lastCount) return spans;
    lastCount = ready(spans) ? spans.length : -1;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`trace ${traceId} not settled; saw:\n${spans.map((s) => `${s.service} ${s.name}`).join('\n')}`);
}

export function find(spans: FlatSpan[], service: string, name: string, kind?: number): FlatSpan {
  const span = spans.find((s) => s.service === service && s.name === name && (kind === undefined || s.kind === kind));
  if (!span) throw new Error(`no ${service} "${name}" span in:\n${spans.map((s) => `${s.service} ${s.name} ${s.kind}`).join('\n')}`);
  return span;
}

/** Spans whose parent is neither in the trace nor one of the allowed external parents. */
export function orphans(spans: FlatSpan[], externalParents: string[] = []): FlatSpan[] {
  const ids = new Set(spans.map((s) => s.spanId));
  return spans.filter((s) => s.parentSpanId !== '' && !ids.has(s.parentSpanId) && !externalParents.includes(s.parentSpanId));
}

export function hasSpans(...names: string[]): (spans: FlatSpan[]) => boolean {
  return (spans) => names.every((name) => spans.some((s) => `${s.service} ${s.name}` === name));
}
