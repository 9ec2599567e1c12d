import type { EventSourceLike } from '../bridge/collector-http';

/** An EventSource the test drives: open, deliver `spans` events, fail. */
export class FakeEventSource implements EventSourceLike {
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  listeners = new Map<string, Set<(event: MessageEvent) => void>>();
  closed = false;
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: MessageEvent) => void): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }
  removeEventListener(type: string, listener: (event: MessageEvent) => void): void {
    this.listeners.get(type)?.delete(listener);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  emit(id: string, data: unknown): void {
    for (const listener of this.listeners.get('spans') ?? []) listener(new MessageEvent('spans', { data: JSON.stringify(data), lastEventId: id }));
  }
  fail(): void {
    this.readyState = 2;
    this.onerror?.(new Event('error'));
  }
}
