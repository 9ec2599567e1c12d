// Needs the built dist (`npm run build` does it): starts the real stack on free ports.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack } from '../stack/start-stack.js';
import type { Stack } from '../stack/start-stack.js';
import { newTraceparent, readSseEvents } from './chat-client.test-helpers.js';
import { waitForTrace } from './trace-reader.test-helpers.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ env: { MODEL_TTFT_MS: '20', MODEL_TOKEN_DELAY_MS: '2', MODEL_JITTER_MS: '1' } });
}, 40_000);
afterAll(async () => {
  await stack?.stop();
});

it('keeps an EventSource question and URL secrets off every backend span by default', async () => {
  const { traceId, traceparent } = newTraceparent();
  const prompt = 'what is the zebra-7731 retention policy';
  const url = new URL('/api/chat/stream', stack.urls.gateway);
  url.searchParams.set('message', prompt);
  url.searchParams.set('traceparent', traceparent);
  url.searchParams.set('api_key', 'sk-live-hunter2');
  const events = await readSseEvents(await fetch(url, { headers: { authorization: 'Bearer tok-hunter3' } }));
  expect(events.at(-1)?.type).toBe('done');

  const spans = await waitForTrace(stack.urls.collector, traceId, (all) => all.some((s) => s.name === 'stream sse') && all.length >= 8);
  const exported = JSON.stringify(spans);
  expect(spans.some((s) => s.name.startsWith('GET'))).toBe(true);
  expect(exported).not.toContain('zebra-7731');
  expect(exported).not.toContain('hunter2');
  expect(exported).not.toContain('hunter3');
});
