import { describe, expect, it } from 'vitest';
import { createExtensionPortAdapter } from './extension-port';
import type { PortLike } from './extension-port';
import type { PanelEvent } from './adapter';
import type { WorkerToPanel } from './port-messages';
import type { PageMessage } from './protocol';

class FakePort implements PortLike {
  sent: unknown[] = [];
  messageListeners: ((message: unknown) => void)[] = [];
  disconnectListeners: (() => void)[] = [];
  dead = false;
  postMessage(message: unknown): void {
    if (this.dead) throw new Error('Attempting to use a disconnected port object');
    this.sent.push(message);
  }
  disconnect(): void {
    this.dead = true;
  }
  onMessage = { addListener: (listener: (message: unknown) => void) => void this.messageListeners.push(listener) };
  onDisconnect = { addListener: (listener: () => void) => void this.disconnectListeners.push(listener) };
  deliver(message: WorkerToPanel): void {
    for (const listener of this.messageListeners) listener(message);
  }
  kill(): void {
    this.dead = true;
    for (const listener of this.disconnectListeners) listener();
  }
}

const chunks = (index: number): PageMessage => ({
  source: 'streamtrace-sdk', version: 1, type: 'chunks',
  payload: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', chunks: [{ index, bytes: 1, arrivalMs: index }] },
});

function setup() {
  const ports: FakePort[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const adapter = createExtensionPortAdapter({
    tabId: 4,
    connect: () => {
      const port = new FakePort();
      ports.push(port);
      return port;
    },
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => {},
  });
  const events: PanelEvent[] = [];
  adapter.subscribe((event) => events.push(event));
  return { adapter, ports, timers, events };
}

describe('extension port adapter', () => {
  it('subscribes, delivers entries once, and after the worker stops reconnects with backoff asking only for what it missed', () => {
    const { adapter, ports, timers, events } = setup();
    expect(ports[0]!.sent).toEqual([{ type: 'subscribe', tabId: 4, afterSeq: 0 }]);
    ports[0]!.deliver({ type: 'entries', tabId: 4, replay: true, entries: [{ seq: 1, message: chunks(0) }, { seq: 2, message: chunks(1) }] });
    ports[0]!.deliver({ type: 'entries', tabId: 4, replay: false, entries: [{ seq: 2, message: chunks(1) }] });
    expect(events.filter((event) => event.type === 'chunks')).toHaveLength(2);

    ports[0]!.kill();
    expect(adapter.status().state).toBe('reconnecting');
    adapter.clear!();
    expect(timers).toHaveLength(1);
    timers[0]!.fn();
    expect(ports[1]!.sent).toEqual([{ type: 'subscribe', tabId: 4, afterSeq: 2 }, { type: 'clear', tabId: 4 }]);
    ports[1]!.deliver({ type: 'entries', tabId: 4, replay: true, entries: [] });
    expect(adapter.status().state).toBe('connected');
  });

  it('backs off exponentially while the worker cannot be reached', () => {
    const { ports, timers } = setup();
    ports[0]!.kill();
    timers.shift()!.fn();
    ports[1]!.kill();
    timers.shift()!.fn();
    ports[2]!.kill();
    expect(timers[0]!.ms).toBe(400);
  });

  it('ignores messages for other tabs and resets its position when the buffer restarted', () => {
    const { ports, events } = setup();
    ports[0]!.deliver({ type: 'entries', tabId: 5, replay: false, entries: [{ seq: 1, message: chunks(0) }] });
    expect(events.filter((event) => event.type === 'chunks')).toHaveLength(0);
    ports[0]!.deliver({ type: 'entries', tabId: 4, replay: false, entries: [{ seq: 5, message: chunks(0) }] });
    ports[0]!.deliver({ type: 'reset', tabId: 4, seq: 1 });
    ports[0]!.deliver({ type: 'entries', tabId: 4, replay: true, entries: [{ seq: 1, message: chunks(1) }] });
    expect(events.filter((event) => event.type === 'chunks')).toHaveLength(2);
  });

  it('asks for host access only for query endpoints outside localhost', () => {
    const requested: string[] = [];
    const adapter = createExtensionPortAdapter({
      tabId: 1,
      connect: () => new FakePort(),
      requestOrigin: async (origin) => {
        requested.push(origin);
        return true;
      },
    });
    adapter.setQueryEndpoint!('http://127.0.0.1:16686');
    adapter.setQueryEndpoint!('https://tempo.example.com:3200/');
    expect(requested).toEqual(['https://tempo.example.com/*']);
    adapter.dispose!();
  });
});
