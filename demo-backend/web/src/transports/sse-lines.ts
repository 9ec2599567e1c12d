/**
 * Incremental `text/event-stream` parser for streamed fetch bodies: feed decoded text, get the
 * `data` of each complete event. The pending remainder is bounded so a peer that never sends a
 * blank line cannot grow the page's memory.
 */
export function createSseDataParser(maxPending = 1024 * 1024): { push(text: string): string[] } {
  let pending = '';
  return {
    push(text) {
      pending += text;
      const out: string[] = [];
      for (;;) {
        const match = /\r\n\r\n|\n\n|\r\r/.exec(pending);
        if (!match) break;
        const block = pending.slice(0, match.index);
        pending = pending.slice(match.index + match[0].length);
        const data: string[] = [];
        for (const line of block.split(/\r\n|\n|\r/)) {
          if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        }
        if (data.length > 0) out.push(data.join('\n'));
      }
      if (pending.length > maxPending) throw new Error(`SSE event larger than ${maxPending} characters`);
      return out;
    },
  };
}
