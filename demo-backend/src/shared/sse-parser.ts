export interface SseMessage {
  event?: string;
  id?: string;
  data: string;
}

/**
 * Incremental `text/event-stream` parser. Feed it decoded text as it arrives; it returns the
 * complete messages so far. `maxPending` bounds the unparsed remainder so a peer that never
 * sends a blank line cannot grow memory without limit.
 */
export function createSseParser(maxPending = 1024 * 1024): {
  push(text: string): SseMessage[];
} {
  let pending = '';
  return {
    push(text) {
      pending += text;
      const messages: SseMessage[] = [];
      for (;;) {
        const match = /\r\n\r\n|\n\n|\r\r/.exec(pending);
        if (!match) break;
        const block = pending.slice(0, match.index);
        pending = pending.slice(match.index + match[0].length);
        const message = parseBlock(block);
        if (message) messages.push(message);
      }
      if (pending.length > maxPending) throw new Error(`SSE event larger than ${maxPending} characters`);
      return messages;
    },
  };
}

function parseBlock(block: string): SseMessage | undefined {
  const data: string[] = [];
  let event: string | undefined;
  let id: string | undefined;
  for (const line of block.split(/\r\n|\n|\r/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id') id = value;
  }
  if (data.length === 0) return undefined;
  const message: SseMessage = { data: data.join('\n') };
  if (event !== undefined) message.event = event;
  if (id !== undefined) message.id = id;
  return message;
}
