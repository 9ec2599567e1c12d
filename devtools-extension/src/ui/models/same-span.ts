import type { OtlpSpan } from '../../bridge/otlp-types';

const sameTime = (a: OtlpSpan['startTimeUnixNano'], b: OtlpSpan['startTimeUnixNano']): boolean =>
  a === b || (typeof a === 'object' && typeof b === 'object' && a.low === b.low && a.high === b.high);

/**
 * Whether `next` repeats a span already held as `previous`. OTLP spans are exported once they have
 * ended and never change afterwards, so a backend answering the same trace again (the panel polls
 * until a trace settles) repeats them; comparing what identifies and bounds a span (name, kind,
 * parent, times, status, how many attributes and events, the last event) tells a repeat from a
 * newer copy without converting it again.
 */
export function sameSpan(previous: OtlpSpan, next: OtlpSpan): boolean {
  if (previous === next) return true;
  const previousEvents = previous.events ?? [];
  const nextEvents = next.events ?? [];
  const lastPrevious = previousEvents[previousEvents.length - 1];
  const lastNext = nextEvents[nextEvents.length - 1];
  return (
    previous.name === next.name &&
    previous.kind === next.kind &&
    (previous.parentSpanId ?? '') === (next.parentSpanId ?? '') &&
    sameTime(previous.startTimeUnixNano, next.startTimeUnixNano) &&
    sameTime(previous.endTimeUnixNano, next.endTimeUnixNano) &&
    previous.status?.code === next.status?.code &&
    previous.status?.message === next.status?.message &&
    (previous.attributes?.length ?? 0) === (next.attributes?.length ?? 0) &&
    previousEvents.length === nextEvents.length &&
    lastPrevious?.name === lastNext?.name &&
    sameTime(lastPrevious?.timeUnixNano, lastNext?.timeUnixNano)
  );
}
