import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { listen } from '../shared/listen.js';
import { createSseParser } from '../shared/sse-parser.js';
import { createModelServer } from './server.js';

let server: Server;
let url: string;
const exporter = new InMemorySpanExporter();

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  server = createModelServer({ defaultModel: 'sim-test', timing: { ttftMs: 20, tokenDelayMs: 2, jitterMs: 2 }, stallMs: 20_000 });
  url = await listen(server, 0);
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const messages = [
  { role: 'system', content: '[1] SSE: Server-Sent Events is a one-way protocol over plain HTTP. Browsers expose it through EventSource.' },
  { role: 'user', content: 'What is SSE?' },
];

async function readEvents(response: Response): Promise<string[]> {
  const parser = createSseParser();
  const events: string[] = [];
  const decoder = new TextDecoder();
  for await (const chunk of response.body!) events.push(...parser.push(decoder.decode(chunk, { stream: true })).map((m) => m.data));
  return events;
}

function post(body: object, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
}

describe('model-service', () => {
  it('streams OpenAI-style chunks, a final chunk with usage, then [DONE]', async () => {
    const response = await post({ messages, stream: true, stream_options: { include_usage: true } });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = await readEvents(response);
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(chunks[0]).toMatchObject({ object: 'chat.completion.chunk', model: 'sim-test', choices: [{ index: 0, delta: { role: 'assistant' } }] });
    const text = chunks.map((c) => c.choices[0].delta.content ?? '').join('');
    expect(text).toContain('one-way protocol');
    const last = chunks.at(-1);
    expect(last.choices[0].finish_reason).toBe('stop');
    expect(last.usage.completion_tokens).toBe(chunks.length - 1);
    expect(last.usage.prompt_tokens).toBeGreaterThan(10);
    const span = exporter.getFinishedSpans().find((s) => s.attributes['gen_ai.response.id'] === last.id)!;
    expect(span.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.usage.output_tokens': chunks.length - 1,
      'gen_ai.response.finish_reasons': ['stop'],
      'streamtrace.stream.outcome': 'complete',
    });
    expect(span.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThan(0.015);
  });

  it('answers without streaming too', async () => {
    const response = await post({ messages });
    const body = (await response.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]!.message.content).toContain('one-way protocol');
  });

  it('fails before the first token with model-error', async () => {
    const response = await post({ messages, stream: true, metadata: { fault: 'model-error' } });
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('model_error');
    const span = exporter.getFinishedSpans().find((s) => s.attributes['streamtrace.fault'] === 'model-error')!;
    expect(span.name).toBe('chat sim-test');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('model_error');
  });

  it('sends an error event mid-stream and stops with midstream-error', async () => {
    const response = await post({ messages, stream: true }, { 'x-streamtrace-fault': 'midstream-error' });
    const events = await readEvents(response);
    expect(events).not.toContain('[DONE]');
    expect(JSON.parse(events.at(-1)!).error.code).toBe('midstream_error');
    expect(events.length).toBe(6);
  });

  it('goes silent after a few tokens with stall, and stops when the client leaves', async () => {
    const aborter = new AbortController();
    const response = await post({ messages, stream: true, metadata: { fault: 'stall' } }, {}, aborter.signal);
    const reader = response.body!.getReader();
    const parser = createSseParser();
    const decoder = new TextDecoder();
    let count = 0;
    while (count < 5) {
      const { value } = await reader.read();
      count += parser.push(decoder.decode(value, { stream: true })).length;
    }
    const next = Promise.race([reader.read().then(() => 'data'), new Promise((r) => setTimeout(() => r('silent'), 300))]);
    expect(await next).toBe('silent');
    aborter.abort();
    // The model notices the disconnect during the 20 s stall and ends its span as cancelled.
    let span;
    for (let i = 0; i < 50 && !span; i++) {
      await new Promise((r) => setTimeout(r, 20));
      span = exporter.getFinishedSpans().find((s) => s.attributes['streamtrace.fault'] === 'stall');
    }
    expect(span?.attributes['streamtrace.stream.outcome']).toBe('cancel');
    expect(span?.attributes['gen_ai.usage.output_tokens']).toBe(5);
    expect(span?.events.map((e) => e.name)).toContain('stream.cancel');
  });
});
