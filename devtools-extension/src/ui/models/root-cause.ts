import type { Breakdown } from './breakdown';
import type { SpanRecord } from './span-record';
import { STATUS_ERROR, stringAttr } from './span-record';

export type RootCause =
  | { kind: 'error'; service: string; spanName: string; spanId: string; message: string; errorType?: string }
  | { kind: 'largest'; label: string; ms: number; share: number; totalMs: number };

/**
 * Who is responsible for this message: the origin of its errors, else the largest part of the time
 * to first visible token. Errors propagate upward (the gateway's HTTP client span fails because the
 * model server's span failed), so the origin is an error span with no failed descendant; among
 * several, the one that ended first. Ending first alone is not enough: a client span can end (on
 * the error response) before the server span that sent it.
 */
export function rootCause(spans: SpanRecord[], breakdown: Breakdown | undefined): RootCause | undefined {
  const errors = spans.filter((span) => span.statusCode === STATUS_ERROR);
  // Only a trace with errors needs the parent lookup (most traces, and all big healthy ones, have none).
  const parentOf = errors.length ? new Map(spans.map((span) => [span.spanId, span.parentSpanId])) : new Map<string, string | undefined>();
  const failedAncestors = new Set<string>();
  for (const error of errors) {
    // Bounded walk: a malformed trace could contain a parent cycle.
    let parent = parentOf.get(error.spanId);
    for (let steps = 0; parent && steps < spans.length; steps += 1) {
      failedAncestors.add(parent);
      parent = parentOf.get(parent);
    }
  }
  const origins = errors.filter((span) => !failedAncestors.has(span.spanId));
  const origin = (origins.length ? origins : errors).sort((a, b) => a.endMs - b.endMs || a.startMs - b.startMs)[0];
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
