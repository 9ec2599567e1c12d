import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resolveConfig } from '../config.js';
import { testMessage, testRuntime } from '../runtime.test-helpers.js';
import { SessionSampler } from '../sampling/session-sampler.js';
import { StreamRecorder } from './stream-recorder.js';
import { instrumentFetch } from './fetch.js';

let base = '';
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'access-control-allow-origin': '*' });
  res.end('data: {"type":"delta","text":"a"}\n\ndata: {"type":"done"}\n\n');
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => void server.close());

/** fetch instrumented for a session sampled at `rate` (sampled-out sessions record nothing: keepUnsampled off). */
async function fetchWith(rate: number, afterInstall?: () => void): Promise<{ response: Response; text: string; chunks: unknown }> {
  const exporter = new InMemorySpanExporter();
  const config = resolveConfig({ sampleRate: rate, keepUnsampled: false });
  const provider = new BasicTracerProvider({ sampler: new SessionSampler(() => 's1', rate, false), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const runtime = testRuntime(config, provider.getTracer('test'));
  const message = testMessage(runtime);
  const uninstall = instrumentFetch({
    config,
    enabled: () => true,
    messageFor: () => message,
    openStream: (m, transport, url, method) => new StreamRecorder(runtime, m, transport, url, method),
  });
  const pageResponse = globalThis.Response;
  try {
    afterInstall?.();
    const response = await fetch(`${base}/sse`);
    const text = await response.text();
    message.end();
    await Promise.all(Array.from(runtime.finishing));
    const stream = exporter.getFinishedSpans().find((s) => s.name === 'chat.stream');
    return { response, text, chunks: stream?.attributes['streamtrace.stream.chunks'] };
  } finally {
    globalThis.Response = pageResponse;
    uninstall();
  }
}

describe('fetch body observation', () => {
  it('counts the events of a recorded stream, and leaves the body of a stream that records nothing untouched', async () => {
    const recorded = await fetchWith(1);
    expect(recorded.chunks).toBe(2);
    const untouched = await fetchWith(0);
    expect(untouched.chunks).toBeUndefined();
    expect(untouched.text).toBe(recorded.text);
    // The Response made around the observed body reads as the network's. In Chromium also its url, type and
    // redirected (sdk-wrapper-equivalence.spec.ts); happy-dom keeps those as own fields the constructor sets.
    expect(recorded.response).not.toBe(untouched.response);
    expect(Object.getOwnPropertyNames(recorded.response)).toEqual(Object.getOwnPropertyNames(untouched.response));
    expect([recorded.response.status, recorded.response.headers.get('content-type')]).toEqual([untouched.response.status, untouched.response.headers.get('content-type')]);
  });

  it('a global Response replaced after init (a fetch polyfill forced in) does not change what fetch returns', async () => {
    const native = globalThis.Response;
    // whatwg-fetch's Response: no `body` stream.
    class PolyfillResponse {
      constructor(readonly bodyInit: unknown) {}
    }
    const { response, text, chunks } = await fetchWith(1, () => void (globalThis.Response = PolyfillResponse as unknown as typeof Response));
    expect(response).toBeInstanceOf(native);
    expect(text).toBe('data: {"type":"delta","text":"a"}\n\ndata: {"type":"done"}\n\n');
    expect(chunks).toBe(2);
  });
});
