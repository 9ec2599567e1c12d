import { afterEach, describe, expect, it } from 'vitest';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { resolveConfig } from '../config.js';
import { testMessage, testRuntime } from '../runtime.test-helpers.js';
import { StreamRecorder } from './stream-recorder.js';
import { instrumentEventSource } from './event-source.js';
import type { InstrumentContext } from './instrument-context.js';

const original = Object.getOwnPropertyDescriptor(globalThis, 'EventSource');
afterEach(() => {
  if (original) Object.defineProperty(globalThis, 'EventSource', original);
  else delete (globalThis as { EventSource?: unknown }).EventSource;
});

/** Every EventSource opened is traced (propagated, in one message). */
function tracingContext(): InstrumentContext {
  const config = resolveConfig({ propagateTo: ['http://localhost:8787'] });
  const runtime = testRuntime(config, new BasicTracerProvider().getTracer('test'));
  const message = testMessage(runtime);
  return { config, enabled: () => true, messageFor: () => message, openStream: (m, transport, url, method) => new StreamRecorder(runtime, m, transport, url, method) };
}

describe('EventSource/WebSocket globals the SDK cannot or must not wrap', () => {
  it('a polyfill class (no EventTarget) installed before the SDK: new EventSource() works as without the SDK', () => {
    class PolyfillEventSource {
      listeners: string[] = [];
      constructor(readonly url: string) {}
      addEventListener(type: string): void {
        this.listeners.push(type);
      }
      close(): void {}
    }
    Object.defineProperty(globalThis, 'EventSource', { value: PolyfillEventSource, writable: true, configurable: true });
    const uninstall = instrumentEventSource(tracingContext());
    const es = new (globalThis as unknown as { EventSource: typeof PolyfillEventSource }).EventSource('http://localhost:8787/chat');
    expect(es).toBeInstanceOf(PolyfillEventSource);
    expect(es.url).toBe('http://localhost:8787/chat');
    uninstall();
  });

  it('a read-only global: nothing is changed, instances keep their native constructor', () => {
    class NativeLike extends EventTarget {
      constructor(readonly url: string) {
        super();
      }
      close(): void {}
    }
    const close = NativeLike.prototype.close;
    Object.defineProperty(globalThis, 'EventSource', { value: NativeLike, writable: false, configurable: true });
    instrumentEventSource(tracingContext());
    const es = new (globalThis as unknown as { EventSource: typeof NativeLike }).EventSource('http://localhost:8787/chat');
    expect(es.constructor).toBe(NativeLike);
    expect(NativeLike.prototype.close).toBe(close);
    expect(Object.getOwnPropertyNames(NativeLike.prototype).sort()).toEqual(['close', 'constructor']);
  });
});
