/** Upper bound of captured answer text per stream (only with `captureContent`). */
export const MAX_CONTENT_CHARS = 16_384;

/** The text delta carried by one event's data: our gateway's `{type:'delta',text}` or OpenAI's `choices[0].delta.content`. */
export function deltaText(data: string): string | undefined {
  // charCodeAt(0) of '' is NaN.
  if (data.charCodeAt(0) !== 123 /* { */) return undefined;
  try {
    const value = JSON.parse(data) as { type?: unknown; text?: unknown; choices?: { delta?: { content?: unknown } }[] };
    if (value.type === 'delta' && typeof value.text === 'string') return value.text;
    const content = value.choices?.[0]?.delta?.content;
    return typeof content === 'string' ? content : undefined;
  } catch {
    return undefined;
  }
}

/** `gen_ai.output.messages` value for the captured answer. */
export function outputMessages(text: string): string {
  return JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: text }] }]);
}

/**
 * Size of a WebSocket / EventSource message payload. Text counts its UTF-16 length: O(1), and equal
 * to the UTF-8 byte count for ASCII payloads (JSON with escaped text); non-ASCII text undercounts.
 */
export function payloadBytes(data: unknown): number {
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (typeof Blob !== 'undefined' && data instanceof Blob) return data.size;
  return 0;
}
