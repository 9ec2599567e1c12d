import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resolveConfig } from '../config.js';
import { testMessage, testRuntime } from '../runtime.test-helpers.js';
import { StreamRecorder } from './stream-recorder.js';
import { instrumentXhr } from './xhr.js';

const SERVER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
let base = '';
const server = createServer((_req, res) => {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'access-control-allow-origin': '*',
    traceparent: `00-${SERVER_TRACE}-00f067aa0ba902b7-01`,
    'server-timing': 'model;dur=12.5',
  });
  res.end('data: {"type":"delta","text":"a"}\n\n');
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => void server.close());

describe('XMLHttpRequest tracing', () => {
  it('reads the server context from the response headers without getResponseHeader (Chromium logs a console error per unexposed header)', async () => {
    const exporter = new InMemorySpanExporter();
    const config = resolveConfig({});
    const runtime = testRuntime(config, new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('test'));
    const message = testMessage(runtime);
    const proto = XMLHttpRequest.prototype;
    const native = proto.getResponseHeader;
    const asked: string[] = [];
    proto.getResponseHeader = function (this: XMLHttpRequest, name: string) {
      asked.push(name);
      return native.call(this, name);
    };
    const uninstall = instrumentXhr({
      config,
      enabled: () => true,
      messageFor: () => message,
      openStream: (m, transport, url, method) => new StreamRecorder(runtime, m, transport, url, method),
    });
    try {
      const xhr = new XMLHttpRequest();
      const ended = new Promise((resolve) => xhr.addEventListener('loadend', resolve));
      xhr.open('GET', `${base}/sse`);
      xhr.send();
      await ended;
      expect(xhr.responseText).toContain('"delta"');
      message.end();
      await Promise.all(Array.from(runtime.finishing));
      const stream = exporter.getFinishedSpans().find((s) => s.name === 'chat.stream');
      expect(stream?.attributes['streamtrace.server.trace_id']).toBe(SERVER_TRACE);
      expect(stream?.attributes['streamtrace.server.span_id']).toBe('00f067aa0ba902b7');
      expect(stream?.attributes['streamtrace.server_timing.model_ms']).toBe(12.5);
      expect(asked).toEqual([]);
    } finally {
      uninstall();
      proto.getResponseHeader = native;
    }
  });
});
