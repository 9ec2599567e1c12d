import type { Breakdown } from './breakdown';
import type { SpanRecord } from './span-record';
import { STATUS_ERROR, stringAttr } from './span-record';

export type RootCause =
  | { kind: 'error'; service: string; spanName: string; spanId: string; message: string; errorType?: string }
  | { kind: 'largest'; label: string; ms: number; share: number; totalMs: number };

/**
 * Who is responsible for this message: the error span that ended first (errors propagate upward,
 * so that is the origin), else the largest part of the time to first visible token.
 */
export function rootCause(spans: SpanRecord[], breakdown: Breakdown | undefined): RootCause | undefined {
  const errors = spans.filter((span) => span.statusCode === STATUS_ERROR).sort((a, b) => a.endMs - b.endMs || a.startMs - b.startMs);
  const origin = errors[0];
  if (origin) {
    const exception = origin.events.find((event) => event.name === 'exception');
    const exceptionMessage = exception ? exception.attributes['exception.message'] : undefined;
    const errorType = stringAttr(origin, 'error.type');
    return {
      kind: 'error',
      service: origin.serviceName,
      spanName: origin.name,
      spanId: origin.spanId,
      message: origin.statusMessage ?? (typeof exceptionMessage === 'string' ? exceptionMessage : '') ?? '',
      ...(errorType ? { errorType } : {}),
    };
  }
  if (!breakdown?.largest || breakdown.totalMs <= 0) return undefined;
  return {
    kind: 'largest',
    label: breakdown.largest.label,
    ms: breakdown.largest.ms,
    share: breakdown.largest.ms / breakdown.totalMs,
    totalMs: breakdown.totalMs,
  };
}
