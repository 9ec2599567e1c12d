import { describe, expect, it } from 'vitest';
import { composeAnswer } from './compose.js';
import { splitTokens } from './tokens.js';

describe('splitTokens', () => {
  it('round-trips text and cuts long words into sub-words', () => {
    const text = 'Observability, for chat: streaming   responses!';
    const tokens = splitTokens(text);
    expect(tokens.join('')).toBe(text);
    expect(tokens).toContain(',');
    expect(tokens).toContain(' stream');
    expect(tokens.every((t) => t.trim().length <= 6)).toBe(true);
  });
});

describe('composeAnswer', () => {
  const messages = [
    {
      role: 'system',
      content:
        'Answer from these notes.\n[1] Time to first token: TTFT is the delay before the first token. It is dominated by prefill.\n[2] Tokens: Providers bill by input and output tokens.',
    },
    { role: 'user', content: 'What dominates time to first token?' },
  ];

  it('answers from the passed sources, cites them, and is deterministic', () => {
    const answer = composeAnswer(messages);
    expect(answer).toContain('dominated by prefill');
    expect(answer).toMatch(/\[1\]/);
    expect(composeAnswer(messages)).toBe(answer);
  });

  it('says so when it has no sources', () => {
    expect(composeAnswer([{ role: 'user', content: 'hello' }])).toMatch(/no retrieved notes/);
  });
});
