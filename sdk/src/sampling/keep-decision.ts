import { SpanStatusCode, type AttributeValue } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

export type KeptBy = 'error' | 'slow';

export const KEPT_BY = 'streamtrace.sampling.kept_by';

const num = (value: AttributeValue | undefined): number | undefined => (Number.isFinite(value) ? (value as number) : undefined);

function durationMs(span: ReadableSpan): number {
  return span.duration[0] * 1000 + span.duration[1] / 1e6;
}

/**
 * Whether a sampled-out trace is exported after all, decided when its root ends:
 * - `error`: any of its spans has status ERROR (a failed stream, `msg.fail()`, an HTTP error), or
 *   the message outcome is `error`;
 * - `slow` (only `chat.message` roots): time to first visible token (`streamtrace.ttft_visible_ms`,
 *   else `streamtrace.ttft_ms`) above `keepSlowMs`; when no chunk ever arrived, the message's whole
 *   duration above `keepSlowMs`; or a stream with a gap between chunks above `keepSlowMs`.
 * A long answer that started on time is not slow.
 */
export function keepDecision(root: ReadableSpan, spans: readonly ReadableSpan[], keepSlowMs: number): KeptBy | undefined {
  if (root.attributes['streamtrace.message.outcome'] === 'error') return 'error';
  for (const span of spans) if (span.status.code === SpanStatusCode.ERROR) return 'error';
  if (root.name !== 'chat.message') return undefined;
  const ttft = num(root.attributes['streamtrace.ttft_visible_ms']) ?? num(root.attributes['streamtrace.ttft_ms']);
  if (ttft !== undefined ? ttft > keepSlowMs : durationMs(root) > keepSlowMs) return 'slow';
  for (const span of spans) if ((num(span.attributes['streamtrace.chunk.gap_ms.max']) ?? 0) > keepSlowMs) return 'slow';
  return undefined;
}
