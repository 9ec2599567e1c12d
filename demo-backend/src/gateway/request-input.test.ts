import { describe, expect, it } from 'vitest';
import { parseChatInput } from './request-input.js';

describe('parseChatInput', () => {
  it('accepts the documented fields and known faults', () => {
    expect(parseChatInput({ message: ' hi ', conversationId: 'c1', fault: 'stall' })).toEqual({ message: 'hi', conversationId: 'c1', fault: 'stall' });
    expect(parseChatInput({ message: 'hi', fault: '' })).toEqual({ message: 'hi' });
  });

  it('rejects empty messages, unknown faults and oversized input', () => {
    expect(parseChatInput({ message: '  ' })).toMatch(/non-empty/);
    expect(parseChatInput({ message: 'hi', fault: 'explode' })).toMatch(/unknown fault/);
    expect(parseChatInput({ message: 'x'.repeat(9000) })).toMatch(/longer than/);
    expect(parseChatInput('hi')).toMatch(/JSON object/);
  });
});
