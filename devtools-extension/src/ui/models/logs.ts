import type { OtlpResourceLogs } from '../../bridge/otlp-types';
import { anyValue, attributesToRecord, formatAttr, nanosToMs } from './span-record';

/** One log record, flattened for the trace view (text only). */
export interface LogRow {
  timeMs: number;
  severity: string;
  service: string;
  body: string;
  spanId?: string;
}

// OTLP severity numbers 1-4 TRACE, 5-8 DEBUG, 9-12 INFO, 13-16 WARN, 17-20 ERROR, 21-24 FATAL.
const SEVERITY_NAMES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

function severityOf(text: string | undefined, number: number | undefined): string {
  if (text) return text.toUpperCase();
  if (number && number >= 1 && number <= 24) return SEVERITY_NAMES[Math.floor((number - 1) / 4)]!;
  return 'UNSPECIFIED';
}

/** Log records of a trace in time order (records without a time use their observed time). */
export function logRowsFrom(resourceLogs: OtlpResourceLogs[]): LogRow[] {
  const rows: LogRow[] = [];
  for (const resource of resourceLogs) {
    const service = resource.resource?.attributes ? attributesToRecord(resource.resource.attributes)['service.name'] : undefined;
    for (const scope of resource.scopeLogs ?? []) {
      for (const record of scope.logRecords ?? []) {
        if (!record || typeof record !== 'object') continue;
        const time = nanosToMs(record.timeUnixNano) || nanosToMs(record.observedTimeUnixNano);
        const body = record.body === undefined ? '' : formatAttr(anyValue(record.body));
        const spanId = typeof record.spanId === 'string' && /[1-9a-f]/i.test(record.spanId) ? record.spanId.toLowerCase() : undefined;
        rows.push({
          timeMs: time,
          severity: severityOf(typeof record.severityText === 'string' ? record.severityText : undefined, record.severityNumber),
          service: typeof service === 'string' ? service : 'unknown',
          body,
          ...(spanId ? { spanId } : {}),
        });
      }
    }
  }
  return rows.sort((a, b) => a.timeMs - b.timeMs);
}
