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

test('the conversation id survives a reload of the tab and New chat starts another', async ({ page, stack }) => {
  await openChat(page, stack.urls.web, 'websocket');
  const app = page.getByTestId('chat-app');
  const first = await app.getAttribute('data-conversation-id');
  expect(first).toMatch(/^conv-/);
  await page.reload();
  await expect(app).toHaveAttribute('data-conversation-id', first ?? '');
  // The transport chosen in the URL survives too.
  await expect(page.getByTestId('transport-websocket')).toHaveAttribute('aria-checked', 'true');

  await page.getByTestId('new-chat').click();
  await expect(app).not.toHaveAttribute('data-conversation-id', first ?? '');
  const second = await app.getAttribute('data-conversation-id');
  const answer = await ask(page, 'Hello again');
  await expect(answer).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  const facts = await readMessage(page, answer);
  const spans = await waitForTrace(stack.urls.collector, facts.traceId, (all) => all.some(isMessage));
  expect(findSpan(spans, isMessage, 'chat.message').attributes['gen_ai.conversation.id']).toBe(second);
});

test('switching transport and fault in the page updates the shareable URL', async ({ page, stack }) => {
  await openChat(page, stack.urls.web, 'eventsource');
  await page.getByTestId('transport-fetch').click();
  await page.getByTestId('fault-select').selectOption('stall');
  await expect(page).toHaveURL(/[?&]transport=fetch(&|$)/);
  await expect(page).toHaveURL(/[?&]fault=stall(&|$)/);
  await page.getByTestId('fault-select').selectOption('none');
  await expect(page).not.toHaveURL(/fault=/);
});
