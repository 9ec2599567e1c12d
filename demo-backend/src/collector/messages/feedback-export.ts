import type { MessageFacts } from './message-facts.js';

/**
 * One JSONL line per message with feedback. Every field is present (null when the trace does not
 * say); text (`comment`, `prompt`, `answer`) only appears when the services captured content.
 */
export function feedbackLine(message: MessageFacts): string | undefined {
  const feedback = message.feedback;
  if (!feedback) return undefined;
  const line: Record<string, unknown> = {
    trace_id: message.traceId,
    message_id: message.messageId ?? null,
    session_id: message.sessionId ?? null,
    conversation_id: message.conversationId ?? null,
    score: feedback.score ?? null,
    label: feedback.label ?? null,
    outcome: message.outcome ?? null,
    ttft_visible_ms: message.ttftVisibleMs ?? null,
    duration_ms: message.durationMs,
    model: message.model ?? null,
    output_tokens: message.outputTokens ?? null,
    error_type: message.errorType ?? null,
    timestamp: new Date(feedback.timeMs).toISOString(),
  };
  if (feedback.name !== undefined) line.evaluation_name = feedback.name;
  if (feedback.explanation !== undefined) line.comment = feedback.explanation;
  if (message.prompt !== undefined) line.prompt = message.prompt;
  if (message.answer !== undefined) line.answer = message.answer;
  return JSON.stringify(line);
}

/** The whole export, oldest message first. */
export function feedbackJsonl(messages: readonly MessageFacts[]): string {
  const lines = [...messages]
    .sort((a, b) => a.startMs - b.startMs)
    .flatMap((m) => feedbackLine(m) ?? []);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
