import { describe, expect, it } from 'vitest';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { resolveConfig } from '../config.js';
import { testMessage, testRuntime } from '../runtime.test-helpers.js';
import { StreamRecorder } from './stream-recorder.js';
import { observeBody } from './fetch-body.js';

const encoder = new TextEncoder();
const EVENTS = ['data: {"type":"delta","text":"héllo"}\n\n', 'data: {"type":"delta","text":"wörld"}\n\n', 'data: {"type":"done"}\n\n'];

/** A real recorder on an in-memory exporter; `span()` ends the message and returns the chat.stream span. */
function recorder(): { stream: StreamRecorder; span(): Promise<ReadableSpan | undefined> } {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const runtime = testRuntime(resolveConfig({}), provider.getTracer('test'));
  const message = testMessage(runtime);
  const stream = new StreamRecorder(runtime, message, 'fetch', new URL('http://127.0.0.1/sse'), 'GET');
  return {
    stream,
    async span() {
      for (const settle of runtime.settlers) settle();
      message.end();
      await Promise.all(Array.from(runtime.finishing));
      return exporter.getFinishedSpans().find((s) => s.name === 'chat.stream');
    },
  };
}

/**
 * A network-like body: a byte stream of the SSE events, one per read; `cancelled` gets the cancel reason.
 * As a browser does, `signal`'s abort fails it while it is readable, with `abortError` (Chromium 150's own
 * AbortError) or else the signal's reason (the spec).
 */
function networkBody(hold = false, signal?: AbortSignal, abortError?: unknown): { body: ReadableStream<Uint8Array>; cancelled: unknown[] } {
  const cancelled: unknown[] = [];
  let i = 0;
  const body = new ReadableStream({
    type: 'bytes',
    start(controller) {
      signal?.addEventListener('abort', () => controller.error(abortError ?? signal.reason));
    },
    pull(controller) {
      if (i < EVENTS.length) controller.enqueue(encoder.encode(EVENTS[i++]));
      else if (!hold) controller.close();
      else return new Promise<void>(() => {});
    },
    cancel(reason) {
      cancelled.push(reason);
    },
  }) as ReadableStream<Uint8Array>;
  return { body, cancelled };
}

describe('observeBody', () => {
  it('gives BYOB readers the exact bytes in buffers of any size, and ends the stream complete with one chunk per event', async () => {
    const { stream, span } = recorder();
    const observed = observeBody(networkBody().body, stream, true, undefined);
    const reader = observed.getReader({ mode: 'byob' });
    const parts: number[] = [];
    for (;;) {
      const { done, value } = await reader.read(new Uint8Array(5));
      if (done) break;
      parts.push(...value);
    }
    expect(new TextDecoder().decode(new Uint8Array(parts))).toBe(EVENTS.join(''));
    const ended = await span();
    expect(ended?.attributes['streamtrace.stream.outcome']).toBe('complete');
    expect(ended?.attributes['streamtrace.stream.chunks']).toBe(3);
  });

  it("fails the read after an abort with the network body's own error, also after the last chunk (before the app read the end); with bytes read ahead, with the reason", async () => {
    // Natively an app that aborts right after its last chunk (extended-eventsource closing on its
    // last event) gets an error from its next read, not "done" (which it treats as a drop).
    // The network body fails on the abort (Chromium's error, the spec's reason), or had already ended.
    for (const browserError of [new DOMException('BodyStreamBuffer was aborted', 'AbortError'), undefined, 'ended']) {
      const last = recorder();
      const ac = new AbortController();
      const network = browserError === 'ended' ? networkBody() : networkBody(false, ac.signal, browserError);
      const reader = observeBody(network.body, last.stream, true, ac.signal).getReader();
      for (let i = 0; i < EVENTS.length; i++) expect((await reader.read()).done).toBe(false);
      const warnings: unknown[] = [];
      diag.setLogger({ error: () => {}, warn: (...args: unknown[]) => warnings.push(args), info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
      ac.abort();
      await expect(reader.read()).rejects.toBe(browserError instanceof DOMException ? browserError : ac.signal.reason);
      await new Promise((resolve) => setTimeout(resolve, 5));
      diag.disable();
      expect(warnings).toEqual([]);
      expect((await last.span())?.attributes['streamtrace.stream.outcome']).toBe('cancel');
    }
    // A chunk the pipe read ahead is not handed over after the abort: the read fails at once.
    const ahead = recorder();
    const ac2 = new AbortController();
    const reader2 = observeBody(networkBody(true, ac2.signal, new DOMException('BodyStreamBuffer was aborted', 'AbortError')).body, ahead.stream, true, ac2.signal).getReader();
    expect((await reader2.read()).done).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 5));
    ac2.abort(new Error('stop'));
    await expect(reader2.read()).rejects.toThrow('stop');
  });

  it("ends the stream as cancel (not error) when the app cancels, and cancels the network body with the app's reason", async () => {
    const { stream, span } = recorder();
    const network = networkBody(true);
    const reader = observeBody(network.body, stream, true, undefined).getReader();
    expect((await reader.read()).done).toBe(false);
    await reader.cancel('user pressed stop');
    expect((await reader.read()).done).toBe(true);
    expect(network.cancelled).toEqual(['user pressed stop']);
    const ended = await span();
    expect(ended?.attributes['streamtrace.stream.outcome']).toBe('cancel');
    expect(ended?.attributes['error.type']).toBeUndefined();
    expect(ended?.events.find((e) => e.name === 'stream.cancel')?.attributes?.['streamtrace.cancel.reason']).toBe('user pressed stop');
  });

  it("rejects the app's read with the network's own error and ends the stream as error", async () => {
    const { stream, span } = recorder();
    const failure = new TypeError('network error');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(EVENTS[0]));
      },
      pull(controller) {
        controller.error(failure);
      },
    });
    const reader = observeBody(body, stream, true, undefined).getReader();
    expect((await reader.read()).done).toBe(false);
    await expect(reader.read()).rejects.toBe(failure);
    const ended = await span();
    expect(ended?.attributes['streamtrace.stream.outcome']).toBe('error');
    expect(ended?.attributes['error.type']).toBe('TypeError');
  });

  it("fails the app's read (no hang) on a script-made body of strings, as natively, and ends the stream as error", async () => {
    const { stream, span } = recorder();
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue('data: x\n\n');
        controller.close();
      },
    }) as unknown as ReadableStream<Uint8Array>;
    await expect(observeBody(body, stream, true, undefined).getReader().read()).rejects.toBeInstanceOf(TypeError);
    expect((await span())?.attributes['streamtrace.stream.outcome']).toBe('error');
  });

  it("leaves the chunks of a script-made (non-byte) body usable by their maker, and counts non-SSE reads", async () => {
    const { stream, span } = recorder();
    const shared = encoder.encode('abcdef');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(shared.subarray(0, 3));
        controller.enqueue(shared.subarray(3));
        controller.close();
      },
    });
    const text = await new Response(observeBody(body, stream, false, undefined)).text();
    expect(text).toBe('abcdef');
    expect(shared.byteLength).toBe(6); // not detached by a transfer
    expect(new TextDecoder().decode(shared)).toBe('abcdef');
    expect((await span())?.attributes['streamtrace.stream.chunks']).toBe(2);
  });
});
