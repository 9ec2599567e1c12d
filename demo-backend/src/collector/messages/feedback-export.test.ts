import { afterEach, describe, expect, it } from 'vitest';
import { postJson } from '../fixtures.test-helpers.js';
import { startCollector } from '../start.js';
import { messageTrace } from './message-trace.test-helpers.js';
import type { RunningCollector } from '../start.js';

let collector: RunningCollector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

const START = 1_764_182_400_000;

describe('GET /api/export/feedback.jsonl', () => {
  it('writes one parseable line per message with feedback, from the message span or a chat.feedback child', async () => {
    collector = await startCollector({ port: 0, panelDir: '/nonexistent' });
    const liked = messageTrace({
      startMs: START,
      sessionId: 's-1',
      messageId: 'm-1',
      conversationId: 'c-1',
      ttftVisibleMs: 640.5,
      outputTokens: 42,
      feedback: { score: 1, label: 'thumbs_up', atMs: START + 1500 },
    });
    const disliked = messageTrace({
      startMs: START + 10_000,
      sessionId: 's-1',
      messageId: 'm-2',
      modelError: true,
      model: 'gpt-x',
      durationMs: 900,
      feedback: { score: 0, label: 'thumbs_down', comment: 'wrong answer', onChildSpan: true, atMs: START + 20_000 },
      prompt: '[{"role":"user","content":"hi"}]',
      answer: '[{"role":"assistant","content":"hello"}]',
    });
    const silent = messageTrace({ startMs: START + 5000, messageId: 'm-3', ttftVisibleMs: 300 });
    for (const trace of [disliked, silent, liked]) await postJson(`${collector.url}/v1/traces`, trace.body);

    const res = await fetch(`${collector.url}/api/export/feedback.jsonl`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const body = await res.text();
    expect(body.endsWith('\n')).toBe(true);
    const lines = body.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      {
        trace_id: liked.traceId,
        message_id: 'm-1',
        session_id: 's-1',
        conversation_id: 'c-1',
        score: 1,
        label: 'thumbs_up',
        outcome: 'complete',
        ttft_visible_ms: 640.5,
        duration_ms: 2000,
        model: 'sim-gpt-1',
        output_tokens: 42,
        error_type: null,
        timestamp: new Date(START + 1500).toISOString(),
        evaluation_name: 'user_feedback',
      },
      {
        trace_id: disliked.traceId,
        message_id: 'm-2',
        session_id: 's-1',
        conversation_id: null,
        score: 0,
        label: 'thumbs_down',
        outcome: 'error',
        ttft_visible_ms: null,
        duration_ms: 900,
        model: 'gpt-x',
        output_tokens: null,
        error_type: 'model_error',
        timestamp: new Date(START + 20_000).toISOString(),
        evaluation_name: 'user_feedback',
        comment: 'wrong answer',
        prompt: '[{"role":"user","content":"hi"}]',
        answer: '[{"role":"assistant","content":"hello"}]',
      },
    ]);
  });

  it('picks up feedback that arrives after the message was already exported', async () => {
    collector = await startCollector({ port: 0, panelDir: '/nonexistent' });
    const withFeedback = messageTrace({ messageId: 'late', feedback: { score: -1, label: 'thumbs_down', onChildSpan: true } });
    const resourceSpans = withFeedback.body.resourceSpans as Array<{ scopeSpans: Array<{ spans: Array<{ name: string }> }> }>;
    const isFeedback = (span: { name: string }) => span.name === 'chat.feedback';
    const withoutFeedback = {
      resourceSpans: resourceSpans.map((rs) => ({ ...rs, scopeSpans: rs.scopeSpans.map((ss) => ({ ...ss, spans: ss.spans.filter((s) => !isFeedback(s)) })) })),
    };
    await postJson(`${collector.url}/v1/traces`, withoutFeedback);
    expect(await (await fetch(`${collector.url}/api/export/feedback.jsonl`)).text()).toBe('');
    await postJson(`${collector.url}/v1/traces`, withFeedback.body);
    const lines = (await (await fetch(`${collector.url}/api/export/feedback.jsonl`)).text()).trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toMatchObject([{ trace_id: withFeedback.traceId, message_id: 'late', score: -1, label: 'thumbs_down' }]);
  });

  it('answers an empty body when no message has feedback', async () => {
    collector = await startCollector({ port: 0, panelDir: '/nonexistent' });
    await postJson(`${collector.url}/v1/traces`, messageTrace({ ttftVisibleMs: 100 }).body);
    const res = await fetch(`${collector.url}/api/export/feedback.jsonl`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });
});
