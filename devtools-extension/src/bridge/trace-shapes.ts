import type { OtlpKeyValue, OtlpResourceSpans, OtlpSpan } from './otlp-types';

// Parses the answers of the trace stores a user may point the panel at into OTLP JSON:
// Jaeger v2 `/api/v3/traces/{id}` ({result:{resourceSpans}}), Tempo (`{resourceSpans}`, older
// `{batches}` with instrumentationLibrarySpans, v2 `{trace:{...}}`) and legacy Jaeger
// `/api/traces/{id}` ({data:[{spans, processes}]}).

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export function parseTraceResponse(body: unknown): OtlpResourceSpans[] | undefined {
  if (!isObject(body)) return undefined;
  if (isObject(body.result)) return parseTraceResponse(body.result);
  if (isObject(body.trace)) return parseTraceResponse(body.trace);
  const list = Array.isArray(body.resourceSpans) ? body.resourceSpans : Array.isArray(body.batches) ? body.batches : undefined;
  if (list) return list.filter(isObject).map(normaliseResourceSpans);
  if (Array.isArray(body.data)) return fromLegacyJaeger(body.data);
  return undefined;
}

function normaliseResourceSpans(raw: Json): OtlpResourceSpans {
  const scopes = Array.isArray(raw.scopeSpans) ? raw.scopeSpans : Array.isArray(raw.instrumentationLibrarySpans) ? raw.instrumentationLibrarySpans : [];
  return {
    resource: isObject(raw.resource) ? (raw.resource as OtlpResourceSpans['resource']) : { attributes: [] },
    scopeSpans: scopes.filter(isObject).map((scope) => ({
      scope: (isObject(scope.scope) ? scope.scope : isObject(scope.instrumentationLibrary) ? scope.instrumentationLibrary : {}) as { name?: string },
      spans: (Array.isArray(scope.spans) ? scope.spans : []).filter(isObject).map(normaliseSpan),
    })),
  };
}

function normaliseSpan(raw: Json): OtlpSpan {
  const span = { ...raw } as unknown as OtlpSpan;
  span.traceId = normaliseId(raw.traceId, 32);
  span.spanId = normaliseId(raw.spanId, 16);
  if (raw.parentSpanId !== undefined) span.parentSpanId = normaliseId(raw.parentSpanId, 16);
  if (typeof raw.kind === 'string') span.kind = kindFromName(raw.kind);
  return span;
}

const KIND_NAMES = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];

function kindFromName(name: string): number {
  const index = KIND_NAMES.indexOf(name.replace(/^SPAN_KIND_/, '').toUpperCase());
  return index < 0 ? 0 : index;
}

/** Tempo's protobuf-JSON sends ids as base64; Jaeger and the collector send hex. */
export function normaliseId(value: unknown, hexLength: number): string {
  if (typeof value !== 'string' || value === '') return '';
  const lower = value.toLowerCase();
  if (/^[0-9a-f]+$/.test(lower)) return lower.padStart(hexLength, '0');
  try {
    const bytes = atob(value);
    let hex = '';
    for (let i = 0; i < bytes.length; i += 1) hex += bytes.charCodeAt(i).toString(16).padStart(2, '0');
    return hex.padStart(hexLength, '0');
  } catch {
    return lower;
  }
}

interface LegacyTag {
  key?: string;
  type?: string;
  value?: unknown;
}

function legacyTagsToAttributes(tags: unknown): OtlpKeyValue[] {
  if (!Array.isArray(tags)) return [];
  return (tags as LegacyTag[])
    .filter((tag) => typeof tag?.key === 'string')
    .map((tag) => {
      const value = tag.value;
      if (typeof value === 'boolean') return { key: tag.key!, value: { boolValue: value } };
      if (typeof value === 'number') {
        return { key: tag.key!, value: Number.isInteger(value) && tag.type !== 'float64' ? { intValue: value } : { doubleValue: value } };
      }
      return { key: tag.key!, value: { stringValue: String(value) } };
    });
}

const LEGACY_KINDS: Record<string, number> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };

function fromLegacyJaeger(data: unknown[]): OtlpResourceSpans[] {
  const out: OtlpResourceSpans[] = [];
  for (const trace of data.filter(isObject)) {
    const processes = isObject(trace.processes) ? trace.processes : {};
    const byProcess = new Map<string, OtlpSpan[]>();
    for (const raw of (Array.isArray(trace.spans) ? trace.spans : []).filter(isObject)) {
      const tags = legacyTagsToAttributes(raw.tags);
      const kindTag = tags.find((tag) => tag.key === 'span.kind')?.value?.stringValue;
      const errorTag = tags.find((tag) => tag.key === 'error')?.value;
      const statusMessage = tags.find((tag) => tag.key === 'otel.status_description')?.value?.stringValue;
      const refs = Array.isArray(raw.references) ? raw.references.filter(isObject) : [];
      const parent = refs.find((ref) => ref.refType === 'CHILD_OF') ?? refs[0];
      const startUs = Number(raw.startTime ?? 0);
      const durationUs = Number(raw.duration ?? 0);
      const span: OtlpSpan = {
        traceId: normaliseId(raw.traceID ?? trace.traceID, 32),
        spanId: normaliseId(raw.spanID, 16),
        name: typeof raw.operationName === 'string' ? raw.operationName : '',
        kind: kindTag ? (LEGACY_KINDS[kindTag] ?? 0) : 0,
        startTimeUnixNano: (BigInt(Math.round(startUs)) * 1000n).toString(),
        endTimeUnixNano: (BigInt(Math.round(startUs + durationUs)) * 1000n).toString(),
        attributes: tags.filter((tag) => tag.key !== 'span.kind'),
        events: (Array.isArray(raw.logs) ? raw.logs.filter(isObject) : []).map((log) => {
          const fields = legacyTagsToAttributes(log.fields);
          const name = fields.find((field) => field.key === 'event')?.value?.stringValue ?? 'log';
          return {
            name,
            timeUnixNano: (BigInt(Math.round(Number(log.timestamp ?? 0))) * 1000n).toString(),
            attributes: fields.filter((field) => field.key !== 'event'),
          };
        }),
        status: errorTag?.boolValue === true || errorTag?.stringValue === 'true' ? { code: 2, message: statusMessage } : { code: 0 },
      };
      if (parent && parent.spanID !== undefined) span.parentSpanId = normaliseId(parent.spanID, 16);
      const processId = typeof raw.processID === 'string' ? raw.processID : '';
      const list = byProcess.get(processId) ?? [];
      list.push(span);
      byProcess.set(processId, list);
    }
    for (const [processId, spans] of byProcess) {
      const process = isObject(processes[processId]) ? (processes[processId] as Json) : {};
      const serviceName = typeof process.serviceName === 'string' ? process.serviceName : 'unknown';
      out.push({
        resource: { attributes: [{ key: 'service.name', value: { stringValue: serviceName } }, ...legacyTagsToAttributes(process.tags)] },
        scopeSpans: [{ scope: { name: 'jaeger' }, spans }],
      });
    }
  }
  return out;
}

export function countSpans(resourceSpans: OtlpResourceSpans[]): number {
  let count = 0;
  for (const resource of resourceSpans) for (const scope of resource.scopeSpans ?? []) count += scope.spans?.length ?? 0;
  return count;
}
