import { describe, expect, it } from 'vitest';
import { createSseParser } from './sse-parser.js';

describe('createSseParser', () => {
  it('joins messages split across arbitrary chunk boundaries', () => {
    const parser = createSseParser();
    const wire = 'id: 1\ndata: {"a":1}\n\n: comment\n\nid: 2\r\nevent: x\r\ndata: line1\r\ndata: line2\r\n\r\n';
    const got = [];
    for (let i = 0; i < wire.length; i += 3) got.push(...parser.push(wire.slice(i, i + 3)));
    expect(got).toEqual([
      { id: '1', data: '{"a":1}' },
      { id: '2', event: 'x', data: 'line1\nline2' },
    ]);
  });

  it('refuses an unterminated event beyond its bound', () => {
    const parser = createSseParser(16);
    expect(() => parser.push('data: ' + 'x'.repeat(32))).toThrow(/larger than 16/);
  });
});
