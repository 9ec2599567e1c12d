import { context } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { enableZoneContext } from './zone.js';
import { init } from './sdk.js';

describe('zone.js opt-in', () => {
  const st = init({ serviceName: 'zone', endpoint: 'http://127.0.0.1:9/v1/traces', sampleRate: 0, pageHealth: false });
  afterAll(async () => {
    await st.shutdown();
    context.disable();
  });

  it('keeps the message passed to context.with active across async callbacks', async () => {
    expect(enableZoneContext()).toBe(true);
    const first = st.startMessage({ conversationId: 'a' });
    const second = st.startMessage({ conversationId: 'b' });
    expect(st.currentMessage()).toBe(second);
    const seen = await context.with(first.context, () => new Promise((resolve) => setTimeout(() => resolve(st.currentMessage()), 5)));
    expect(seen).toBe(first);
    expect(st.currentMessage()).toBe(second);
    first.end();
    second.end();
  });
});
