import { afterEach, describe, expect, it, vi } from 'vitest';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { resolveConfig } from '../config.js';
import { testMessage, testRuntime } from '../runtime.test-helpers.js';
import { StreamRecorder } from './stream-recorder.js';

function setup() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const runtime = testRuntime(resolveConfig({}), provider.getTracer('test'), { request: () => {} });
  const message = testMessage(runtime, { conversationId: 'c1' });
  const open = (): StreamRecorder => new StreamRecorder(runtime, message, 'fetch', new URL('http://localhost/api/chat'), 'POST');
  const stream = (): ReadableSpan | undefined => exporter.getFinishedSpans().find((s) => s.name === 'chat.stream');
  const root = (): ReadableSpan | undefined => exporter.getFinishedSpans().find((s) => s.name === 'chat.message');
  return { runtime, message, open, stream, root };
}
const leave = (): boolean => window.dispatchEvent(new Event('beforeunload'));

afterEach(() => void vi.useRealTimers());

// `beforeunload` is remembered for the page (10 s): the tests that fire it come last.
describe('a stream failing while the page navigates away', () => {
  it('fails at once when the page is not leaving', () => {
    const { open } = setup();
    const stream = open();
    stream.end('error', new TypeError('network error'));
    expect(stream.ended).toBe(true);
    expect(stream.outcome).toBe('error');
  });

  it('does not listen for beforeunload while no stream is open (the listener can keep a page out of the back/forward cache)', () => {
    const { open } = setup();
    const first = open();
    first.end('complete');
    leave();
    const second = open();
    second.end('error', new TypeError('network error'));
    expect(second.ended).toBe(true);
    expect(second.outcome).toBe('error');
  });

  it('after beforeunload, waits for pagehide, which ends it as cancelled', async () => {
    const { runtime, message, open, stream } = setup();
    const recorder = open();
    leave();
    recorder.end('error', new TypeError('network error'));
    expect(recorder.ended).toBe(false);
    recorder.end('cancel', 'pagehide'); // what the SDK's pagehide handler does with open streams
    message.cancel('pagehide');
    await Promise.all(Array.from(runtime.finishing));
    expect(stream()?.attributes['streamtrace.stream.outcome']).toBe('cancel');
    expect(stream()?.status.code).toBe(0);
  });

  it('after beforeunload without pagehide (a link to a download), still fails, one second later', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { runtime, open, stream } = setup();
    const recorder = open();
    leave();
    recorder.end('error', new TypeError('network error'));
    vi.advanceTimersByTime(999);
    expect(recorder.ended).toBe(false);
    vi.advanceTimersByTime(1);
    expect(recorder.ended).toBe(true);
    vi.runAllTimers();
    await Promise.all(Array.from(runtime.finishing));
    expect(stream()?.attributes['streamtrace.stream.outcome']).toBe('error');
    expect(stream()?.status.code).toBe(2);
    expect(stream()?.attributes['error.type']).toBe('TypeError');
  });

  it("holds the app's own message.fail() the same way: pagehide makes it a cancel, else it fails a second later", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const leaving = setup();
    leaving.open();
    leave();
    leaving.message.fail(new TypeError('network error'));
    leaving.message.cancel('pagehide');
    vi.runAllTimers();
    await Promise.all(Array.from(leaving.runtime.finishing));
    expect(leaving.root()?.attributes['streamtrace.message.outcome']).toBe('cancel');
    expect(leaving.root()?.status.code).toBe(0);

    const staying = setup();
    staying.open();
    leave();
    staying.message.fail(new TypeError('network error'));
    vi.advanceTimersByTime(1_000);
    vi.runAllTimers();
    await Promise.all(Array.from(staying.runtime.finishing));
    expect(staying.root()?.attributes['streamtrace.message.outcome']).toBe('error');
    expect(staying.root()?.status.code).toBe(2);
  });

  it('a held failure is not undone by the app closing the stream or ending the message after it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { runtime, message, open, stream, root } = setup();
    const recorder = open();
    leave();
    recorder.end('error', 'eventsource_error');
    recorder.end('complete'); // an app whose onerror calls es.close()
    message.fail(new Error('stream lost'));
    message.end(); // and whose finally block ends the message
    expect(recorder.ended).toBe(false);
    vi.advanceTimersByTime(1_000);
    vi.runAllTimers();
    await Promise.all(Array.from(runtime.finishing));
    expect(stream()?.attributes['streamtrace.stream.outcome']).toBe('error');
    expect(root()?.attributes['streamtrace.message.outcome']).toBe('error');
  });
});
