import { ask, openChat, readMessage } from './fixtures/chat-page.js';
import { expect, test } from './fixtures/stack.js';
import { findSpan, waitForTrace } from './fixtures/traces.js';
import type { FlatSpan } from './fixtures/traces.js';

const isMessage = (s: FlatSpan): boolean => s.service === 'chat-ui' && s.name === 'chat.message';

test('thumbs up on a finished answer lands in that answer\'s trace', async ({ page, stack }) => {
  await openChat(page, stack.urls.web, 'fetch');
  const answer = await ask(page, 'What is a vector store?');
  await expect(answer).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await answer.getByTestId('feedback-up').click();
  await expect(answer).toHaveAttribute('data-feedback', 'up');
  await expect(answer.getByTestId('feedback-up')).toHaveAttribute('aria-pressed', 'true');
  const facts = await readMessage(page, answer);

  const hasEvaluation = (s: FlatSpan): boolean => s.events.some((e) => e.name === 'gen_ai.evaluation.result');
  const spans = await waitForTrace(stack.urls.collector, facts.traceId, (all) => all.some(hasEvaluation));
  const evaluation = findSpan(spans, hasEvaluation, 'span with gen_ai.evaluation.result')
    .events.find((e) => e.name === 'gen_ai.evaluation.result');
  expect(evaluation?.attributes['gen_ai.evaluation.score.value']).toBe(1);
  expect(evaluation?.attributes['gen_ai.evaluation.score.label']).toBe('thumbs_up');
  expect(evaluation?.attributes['streamtrace.message.id']).toBe(facts.messageId);
});

test('Regenerate asks again as a new trace linked to the previous answer', async ({ page, stack }) => {
  await openChat(page, stack.urls.web, 'eventsource');
  const first = await ask(page, 'Summarise the corpus in one sentence.');
  await expect(first).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await page.getByTestId('regenerate-button').click();
  const second = page.getByTestId('assistant-message').nth(1);
  await expect(second).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await expect(page.getByTestId('user-message')).toHaveCount(1);

  const before = await readMessage(page, first);
  const after = await readMessage(page, second);
  expect(after.traceId).not.toBe(before.traceId);
  expect(after.messageId).not.toBe(before.messageId);

  const spans = await waitForTrace(stack.urls.collector, after.traceId, (all) => all.some(isMessage));
  const message = findSpan(spans, isMessage, 'chat.message');
  expect(message.attributes['streamtrace.message.regenerated_from']).toBe(before.messageId);
  expect(message.links.map((l) => l.traceId)).toContain(before.traceId);
});
