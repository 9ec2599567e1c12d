import { stringAttribute } from './normalize-common.js';
import { STATUS_CODE_ERROR } from './otlp-types.js';
import type { ResourceGroup } from './grouping.js';
import { listTrace } from './messages/message-listing.js';
import type { ListingStatus, MessageListing } from './messages/message-listing.js';
import type { Span } from './otlp-types.js';

export interface TraceSummary {
  traceId: string;
  rootName: string;
  rootService: string;
  services: string[];
  spanCount: number;
  errorCount: number;
  startTimeUnixNano: string;
  durationMs: number;
  sessionId?: string;
  messageId?: string;
  /** Collector clock (epoch ms) when the trace last received spans. */
  updatedAtMs: number;
  /** The list row's status (see messages/message-listing.ts). */
  status: ListingStatus;
  rootDurationMs?: number;
  /** Present for chat messages (a `chat.message` or `chat.stream` span): what a message list shows. */
  message?: MessageListing;
}

/**
 * The root is the span without a parent; when it has not arrived (yet), the earliest span whose
 * parent is not in the trace stands in for it.
 */
export function summarizeTrace(traceId: string, groups: readonly ResourceGroup<Span>[], updatedAtMs: number): TraceSummary {
  const spanIds = new Set<string>();
  for (const group of groups) for (const scope of group.scopes) for (const span of scope.items) spanIds.add(span.spanId);

  const services = new Set<string>();
  let spanCount = 0;
  let errorCount = 0;
  let start: bigint | undefined;
  let end: bigint | undefined;
  let root: { span: Span; service: string; orphan: boolean } | undefined;
  let sessionId: string | undefined;
  let messageId: string | undefined;

  for (const group of groups) {
    const service = stringAttribute(group.resource.attributes, 'service.name') ?? 'unknown_service';
    services.add(service);
    sessionId ??= stringAttribute(group.resource.attributes, 'session.id');
    for (const scope of group.scopes) {
      for (const span of scope.items) {
        spanCount++;
        if (span.status.code === STATUS_CODE_ERROR) errorCount++;
        const spanStart = BigInt(span.startTimeUnixNano);
        const spanEnd = BigInt(span.endTimeUnixNano);
        if (start === undefined || spanStart < start) start = spanStart;
        if (end === undefined || spanEnd > end) end = spanEnd;
        sessionId ??= stringAttribute(span.attributes, 'session.id');
        messageId ??= stringAttribute(span.attributes, 'streamtrace.message.id');
        const orphan = span.parentSpanId !== undefined;
        if (orphan && spanIds.has(span.parentSpanId as string)) continue;
        const better =
          !root || (root.orphan && !orphan) || (root.orphan === orphan && spanStart < BigInt(root.span.startTimeUnixNano));
        if (better) root = { span, service, orphan };
      }
    }
  }

  const startNs = start ?? 0n;
  const endNs = end !== undefined && end > startNs ? end : startNs;
  const summary: TraceSummary = {
    traceId,
    rootName: root?.span.name ?? '',
    rootService: root?.service ?? '',
    services: [...services].sort(),
    spanCount,
    errorCount,
    startTimeUnixNano: startNs.toString(),
    durationMs: Number(endNs - startNs) / 1e6,
    updatedAtMs,
    ...listTrace(groups),
  };
  if (sessionId !== undefined) summary.sessionId = sessionId;
  if (messageId !== undefined) summary.messageId = messageId;
  return summary;
}
