import { describe, expect, it } from 'vitest';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resolveConfig, type StreamtraceOptions } from '../config.js';
import { testMessage, testRuntime } from '../runtime.test-helpers.js';
import { StreamRecorder } from './stream-recorder.js';
import type { PaintWaiter } from '../timing/frame-scheduler.js';
import { SessionSampler } from '../sampling/session-sampler.js';
import { UnsampledBuffer } from '../sampling/unsampled-buffer.js';

function setup(options: StreamtraceOptions = {}, sampledOut = false) {
  const exporter = new InMemorySpanExporter();
  // sampledOut: a sampled-out session whose spans are recorded for the unsampled buffer, which exports kept traces.
  const provider = sampledOut
    ? new BasicTracerProvider({
        sampler: new SessionSampler(() => 's1', 0, true),
        spanProcessors: [new UnsampledBuffer({ keepSlowMs: resolveConfig(options).keepSlowMs, sink: (spans) => void exporter.export(spans, () => {}) })],
      })
    : new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const waiting: PaintWaiter[] = [];
  const runtime = testRuntime(resolveConfig(options), provider.getTracer('test'), { request: (w) => void waiting.push(w) });
  const message = testMessage(runtime, { conversationId: 'c1' });
  /** Simulates one frame: everything committed so far is painted at `at`. */
  const frame = (at: number): void => {
    for (const w of waiting.splice(0)) {
      w.queuedForFrame = false;
      w.beforeFrame();
      w.painted(at);
    }
  };
  return { exporter, runtime, message, frame };
}

const spanNamed = (spans: ReadableSpan[], name: string): ReadableSpan => spans.find((s) => s.name === name) as ReadableSpan;

describe('chat.stream recording', () => {
  it('keeps a 10,000-chunk answer under 64 KB of span data with correct aggregates', async () => {
    const { exporter, runtime, message, frame } = setup();
    const stream = new StreamRecorder(runtime, message, 'fetch', new URL('http://localhost:8787/api/chat'), 'POST');
    // Drive time by hand: performance.now() is only read for arrivals, so feed commits/paints explicitly.
    const timeline = stream.chunkTimeline!;
    const base = stream.openedAt;
    for (let i = 0; i < 10_000; i++) {
      const at = base + 100 + i * 10 + (i === 5000 ? 3000 : 0);
      timeline.arrived(20, at);
      timeline.commitAt(at + 1);
      frame(at + 1 + (i % 100 === 0 ? 40 : 4));
    }
    stream.end('complete');
    message.end();
    await Promise.all(Array.from(runtime.finishing));
    const spans = exporter.getFinishedSpans();
    const span = spanNamed(spans, 'chat.stream');
    const bytes = (JsonTraceSerializer.serializeRequest([span]) as Uint8Array).byteLength;
    expect(bytes).toBeLessThan(64 * 1024);
    expect(span.attributes['streamtrace.stream.chunks']).toBe(10_000);
    expect(span.attributes['streamtrace.stream.bytes']).toBe(200_000);
    expect(span.attributes['streamtrace.chunk.stalls']).toBe(1);
    expect(span.attributes['streamtrace.chunk.render_latency_ms.max']).toBe(41);
    expect(span.attributes['streamtrace.chunk.render_latency_ms.p50'] as number).toBeCloseTo(5, 0);
    expect(span.attributes['streamtrace.chunk.render_latency_ms.p95'] as number).toBeCloseTo(5, 0);
    const chunkEvents = span.events.filter((e) => e.name === 'chunk');
    expect(chunkEvents.length).toBeLessThanOrEqual(100);
    expect(chunkEvents[0]?.attributes?.['streamtrace.chunk.reason']).toBe('first');
    expect(chunkEvents.some((e) => e.attributes?.['streamtrace.chunk.reason'] === 'stall' && e.attributes['streamtrace.chunk.index'] === 5000)).toBe(true);
    expect(chunkEvents.filter((e) => e.attributes?.['streamtrace.chunk.reason'] === 'slowest').every((e) => (e.attributes?.['streamtrace.chunk.paint_ms'] as number) - (e.attributes?.['streamtrace.chunk.arrival_ms'] as number) > 40)).toBe(true);
    expect(span.attributes['streamtrace.chunk.events_dropped']).toBe(10_000 - chunkEvents.length);
    const root = spanNamed(spans, 'chat.message');
    expect(span.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(root.attributes['streamtrace.message.outcome']).toBe('complete');
    expect(root.attributes['gen_ai.conversation.id']).toBe('c1');
  });

  it('times the first visible token from the chunk that caused the first paint, not a metadata chunk before it', async () => {
    const { exporter, runtime, message, frame } = setup();
    const stream = new StreamRecorder(runtime, message, 'fetch', new URL('http://localhost:8787/api/chat'), 'POST');
    const timeline = stream.chunkTimeline!;
    const base = stream.openedAt;
    timeline.arrived(60, base + 50); // `start` event: no DOM change
    timeline.arrived(20, base + 400); // first token, rendered at once
    timeline.commitAt(base + 401);
    frame(base + 410);
    stream.end('complete');
    message.end();
    await Promise.all(Array.from(runtime.finishing));
    const span = spanNamed(exporter.getFinishedSpans(), 'chat.stream');
    expect(span.attributes['streamtrace.chunk.first_arrival_ms']).toBe(50);
    expect(span.attributes['streamtrace.chunk.first_visible_arrival_ms']).toBe(400);
    expect(span.attributes['streamtrace.chunk.first_visible_index']).toBe(1);
    expect(span.attributes['streamtrace.chunk.first_paint_ms']).toBe(410);
  });

  it('marks chunks that arrive while the page is hidden instead of inventing a paint', async () => {
    const { exporter, runtime, message, frame } = setup();
    const stream = new StreamRecorder(runtime, message, 'eventsource', new URL('http://x/sse'));
    const visibility = Object.getOwnPropertyDescriptor(Document.prototype, 'visibilityState') ?? Object.getOwnPropertyDescriptor(document, 'visibilityState');
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
    try {
      stream.chunk(10);
      stream.committed(performance.now());
      frame(performance.now() + 5);
    } finally {
      if (visibility) Object.defineProperty(document, 'visibilityState', visibility);
      else delete (document as { visibilityState?: unknown }).visibilityState;
      document.dispatchEvent(new Event('visibilitychange'));
    }
    stream.end('complete');
    message.end();
    await Promise.all(Array.from(runtime.finishing));
    const span = spanNamed(exporter.getFinishedSpans(), 'chat.stream');
    expect(span.attributes['streamtrace.chunk.first_paint_ms']).toBeUndefined();
    expect(span.attributes['streamtrace.chunk.render_latency_ms.p50']).toBeUndefined();
    expect(span.attributes['streamtrace.stream.chunks']).toBe(1);
  });

  it("stamps a DOM change made inside the app's listener with the chunk's arrival, and a later (batched) render when it happens", async () => {
    const { exporter, runtime, message, frame } = setup();
    const target = document.createElement('div');
    document.body.append(target);
    message.setRenderTarget(target);
    const stream = new StreamRecorder(runtime, message, 'websocket', new URL('ws://x/ws'));
    const first = new MessageEvent('message', { data: '{"type":"delta","text":"a"}' });
    expect(stream.eventArriving(first)).toBe(true);
    expect(stream.eventArriving(first)).toBe(false); // a second listener of the same event
    target.append('a'); // the app renders synchronously
    stream.eventDelivered();
    const second = new MessageEvent('message', { data: '{"type":"delta","text":"bc"}' });
    stream.eventArriving(second);
    stream.eventDelivered(); // the app only queued a render
    await new Promise((resolve) => setTimeout(resolve, 20));
    target.append('bc'); // the batched render, in a later task
    await new Promise((resolve) => setTimeout(resolve, 0));
    frame(performance.now() + 5);
    stream.end('complete');
    message.end();
    await Promise.all(Array.from(runtime.finishing));
    target.remove();
    const span = spanNamed(exporter.getFinishedSpans(), 'chat.stream');
    expect(span.attributes['streamtrace.stream.chunks']).toBe(2);
    expect(span.attributes['streamtrace.stream.bytes']).toBe(first.data.length + second.data.length);
    const events = span.events.filter((e) => e.name === 'chunk').map((e) => e.attributes ?? {});
    expect(events.map((e) => e['streamtrace.chunk.bytes'])).toEqual([first.data.length, second.data.length]);
    const [a, b] = events as [Record<string, number>, Record<string, number>];
    expect(a['streamtrace.chunk.commit_ms']).toBe(a['streamtrace.chunk.arrival_ms']);
    expect(b['streamtrace.chunk.commit_ms'] - b['streamtrace.chunk.arrival_ms']).toBeGreaterThanOrEqual(15);
  });

  it('reads queued messages once per frame: exact sizes and arrivals for every message, a commit only for those that rendered', async () => {
    const { exporter, runtime, message, frame } = setup({ maxChunkEvents: 200 });
    const target = document.createElement('div');
    document.body.append(target);
    message.setRenderTarget(target);
    const stream = new StreamRecorder(runtime, message, 'eventsource', new URL('http://x/sse'));
    // More messages than the queue holds between two frames; every third renders nothing (metadata).
    const sent: MessageEvent[] = [];
    for (let i = 0; i < 100; i++) {
      const event = new MessageEvent('message', { data: `{"type":"delta","text":"${'x'.repeat(i % 7)}"}` });
      sent.push(event);
      expect(stream.eventArriving(event)).toBe(true);
      if (i % 3 !== 2) target.append(String(i));
      stream.eventDelivered();
    }
    frame(performance.now() + 5);
    stream.end('complete');
    message.end();
    await Promise.all(Array.from(runtime.finishing));
    target.remove();
    const span = spanNamed(exporter.getFinishedSpans(), 'chat.stream');
    expect(span.attributes['streamtrace.stream.chunks']).toBe(100);
    expect(span.attributes['streamtrace.stream.bytes']).toBe(sent.reduce((n, e) => n + (e.data as string).length, 0));
    const events = span.events.filter((e) => e.name === 'chunk').map((e) => e.attributes as Record<string, number>);
    expect(events.length).toBeGreaterThan(50);
    for (const e of events) {
      const i = e['streamtrace.chunk.index'];
      expect(e['streamtrace.chunk.bytes']).toBe((sent[i]!.data as string).length);
      const stamp = Math.round((sent[i]!.timeStamp - stream.openedAt) * 1000) / 1000;
      expect(e['streamtrace.chunk.arrival_ms']).toBe(stamp);
      // A message that rendered nothing waited for the next one's render (committed at its arrival).
      const next = i % 3 === 2 ? i + 1 : i;
      expect(e['streamtrace.chunk.commit_ms']).toBe(Math.round((sent[next]!.timeStamp - stream.openedAt) * 1000) / 1000);
      expect(e['streamtrace.chunk.paint_ms']).toBeDefined();
    }
  });

  it('records a sampled-out stream as aggregates only, and in full from the moment it is known to be slow', async () => {
    const { exporter, runtime, message, frame } = setup({ keepSlowMs: 1000 }, true);
    const stream = new StreamRecorder(runtime, message, 'fetch', new URL('http://x/sse'));
    const timeline = stream.chunkTimeline!;
    const base = message.startedAt;
    for (let i = 0; i < 50; i++) {
      timeline.arrived(10, base + 100 + i);
      timeline.commitAt(base + 100 + i);
      frame(base + 116 + i);
    }
    expect(stream.needsCommits).toBe(false);
    for (let i = 0; i < 10; i++) {
      timeline.arrived(10, base + 3000 + i); // after a 2.85 s gap: kept as slow, so recorded in full
      timeline.commitAt(base + 3000 + i);
      frame(base + 3016 + i);
    }
    expect(stream.needsCommits).toBe(true);
    stream.end('complete');
    message.end();
    await Promise.all(Array.from(runtime.finishing));
    const spans = exporter.getFinishedSpans();
    const span = spanNamed(spans, 'chat.stream');
    expect(span.attributes).toMatchObject({
      'streamtrace.sampling.kept_by': 'slow',
      'streamtrace.stream.chunks': 60,
      'streamtrace.stream.bytes': 600,
      'streamtrace.chunk.first_paint_ms': round3(base + 116 - stream.openedAt),
      'streamtrace.chunk.render_latency_ms.max': 16,
      'streamtrace.chunk.painted': 10,
      'streamtrace.chunk.stalls': 1,
    });
    expect(span.events.filter((e) => e.name === 'chunk').every((e) => (e.attributes?.['streamtrace.chunk.index'] as number) >= 50)).toBe(true);
    expect(spanNamed(spans, 'chat.message').attributes['streamtrace.sampling.kept_by']).toBe('slow');
  });

  it('records queued WebSocket messages of a sampled-out session as aggregates, in full once slow', async () => {
    const { exporter, runtime, message, frame } = setup({ keepSlowMs: 1000 }, true);
    const target = document.createElement('div');
    document.body.append(target);
    message.setRenderTarget(target);
    const stream = new StreamRecorder(runtime, message, 'websocket', new URL('ws://x/ws'));
    const base = message.startedAt;
    let bytes = 0;
    const send = (at: number, text: string): void => {
      const event = new MessageEvent('message', { data: `{"type":"delta","text":"${text}"}` });
      Object.defineProperty(event, 'timeStamp', { value: at });
      bytes += (event.data as string).length;
      stream.eventArriving(event);
      target.append(text); // rendered inside the listener
      stream.eventDelivered();
    };
    for (let i = 0; i < 30; i++) {
      send(base + 100 + i, 'ab');
      if (i % 10 === 9) frame(base + 116 + i);
    }
    expect(stream.needsCommits).toBe(false); // first paint seen: a light record needs no more commits
    for (let i = 0; i < 5; i++) send(base + 3000 + i, 'cde'); // after a 2.9 s gap: kept as slow
    expect(stream.needsCommits).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 0)); // the observer is watching again
    frame(base + 3020);
    stream.end('complete');
    message.end();
    await Promise.all(Array.from(runtime.finishing));
    target.remove();
    const span = spanNamed(exporter.getFinishedSpans(), 'chat.stream');
    expect(span.attributes).toMatchObject({
      'streamtrace.sampling.kept_by': 'slow',
      'streamtrace.stream.chunks': 35,
      'streamtrace.stream.bytes': bytes,
      'streamtrace.chunk.first_paint_ms': round3(base + 125 - stream.openedAt),
      'streamtrace.chunk.stalls': 1,
    });
    const events = span.events.filter((e) => e.name === 'chunk').map((e) => e.attributes as Record<string, number>);
    expect(events.map((e) => e['streamtrace.chunk.index'])).toEqual([30, 31, 32, 33, 34]);
    expect(events.every((e) => e['streamtrace.chunk.paint_ms'] === round3(base + 3020 - stream.openedAt))).toBe(true);
  });

  it('exports nothing for a sampled-out message that went fine', async () => {
    const { exporter, runtime, message, frame } = setup({}, true);
    const stream = new StreamRecorder(runtime, message, 'eventsource', new URL('http://x/sse'));
    stream.chunk(10);
    stream.committed(performance.now());
    frame(performance.now() + 5);
    stream.end('complete');
    message.end();
    await Promise.all(Array.from(runtime.finishing));
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('ends open streams when the message is cancelled or fails, once', async () => {
    const { exporter, runtime, message } = setup();
    const stream = new StreamRecorder(runtime, message, 'websocket', new URL('ws://x/ws'));
    message.cancel('user pressed stop');
    message.end();
    message.fail(new Error('late'));
    stream.end('error');
    await Promise.all(Array.from(runtime.finishing));
    const spans = exporter.getFinishedSpans();
    expect(spans.filter((s) => s.name === 'chat.message')).toHaveLength(1);
    const root = spanNamed(spans, 'chat.message');
    expect(root.attributes['streamtrace.message.outcome']).toBe('cancel');
    expect(root.status.code).toBe(0);
    expect(root.events.map((e) => e.name)).toContain('message.cancel');
    expect(spanNamed(spans, 'chat.stream').attributes['streamtrace.stream.outcome']).toBe('cancel');
  });

  it('records feedback on the message, or on a chat.feedback child once the message ended', async () => {
    const { exporter, runtime, message } = setup({ captureContent: false });
    message.feedback({ score: 1, label: 'thumbs_up', comment: 'secret words' });
    message.end();
    await Promise.all(Array.from(runtime.finishing));
    message.feedback({ score: -1, label: 'thumbs_down' });
    const spans = exporter.getFinishedSpans();
    const root = spanNamed(spans, 'chat.message');
    const event = root.events.find((e) => e.name === 'gen_ai.evaluation.result');
    expect(event?.attributes).toMatchObject({ 'gen_ai.evaluation.name': 'user_feedback', 'gen_ai.evaluation.score.value': 1, 'gen_ai.evaluation.score.label': 'thumbs_up' });
    expect(event?.attributes?.['gen_ai.evaluation.explanation']).toBeUndefined();
    const late = spanNamed(spans, 'chat.feedback');
    expect(late.spanContext().traceId).toBe(root.spanContext().traceId);
    expect(late.events[0]?.attributes?.['gen_ai.evaluation.score.label']).toBe('thumbs_down');
  });

  it('fails with ERROR status and error.type', async () => {
    const { exporter, runtime, message } = setup();
    new StreamRecorder(runtime, message, 'fetch', new URL('http://x/'));
    message.fail(new TypeError('boom'));
    await Promise.all(Array.from(runtime.finishing));
    for (const span of exporter.getFinishedSpans()) {
      expect(span.status.code).toBe(2);
      expect(span.attributes['error.type']).toBe('TypeError');
    }
  });
});

function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
