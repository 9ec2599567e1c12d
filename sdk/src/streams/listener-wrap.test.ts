import { afterEach, describe, expect, it } from 'vitest';
import { installListenerWrapping, wrappedTarget, type WrappedTarget } from './listener-wrap.js';
import type { StreamRecorder } from './stream-recorder.js';

/** A native-like event source: an `onmessage` event handler accessor on its prototype. */
class Source extends EventTarget {
  private handler: EventListener | null = null;
  private registered: EventListener | null = null;
  get onmessage(): EventListener | null {
    return this.handler;
  }
  set onmessage(value: EventListener | null) {
    if (this.registered) EventTarget.prototype.removeEventListener.call(this, 'message', this.registered);
    this.handler = typeof value === 'function' ? value : null;
    // Like a browser: the handler is its own registration, calling the function with the target as `this`.
    const handler = this.handler;
    this.registered = handler ? (event: Event) => handler.call(this, event) : null;
    if (this.registered) EventTarget.prototype.addEventListener.call(this, 'message', this.registered);
  }
}

/** Records what the wrappers report, in order with the app's own calls. */
function fakeStream(log: string[]): StreamRecorder {
  let current: Event | undefined;
  return {
    eventArriving(event: Event): boolean {
      if (event === current) return false;
      current = event;
      log.push(`arrive:${(event as MessageEvent).data as string}`);
      return true;
    },
    eventDelivered(): void {
      log.push(`delivered:${(current as MessageEvent).data as string}`);
    },
  } as unknown as StreamRecorder;
}

let uninstall: (() => void) | undefined;
afterEach(() => {
  uninstall?.();
  uninstall = undefined;
});

function setup(): { log: string[]; traced: Source; plain: Source } {
  const log: string[] = [];
  const traced = new Source();
  const plain = new Source();
  const tracked = new WeakMap<object, WrappedTarget>([[traced, wrappedTarget(fakeStream(log))]]);
  uninstall = installListenerWrapping(Source.prototype, (instance) => tracked.get(instance as object), (type) => type !== 'open');
  return { log, traced, plain };
}

const message = (data: string): MessageEvent => new MessageEvent('message', { data });

describe('timing messages inside the app listeners', () => {
  it('counts an event once however many listeners it reaches, around the first of them', () => {
    const { log, traced } = setup();
    traced.addEventListener('message', (e) => log.push(`app1:${(e as MessageEvent).data as string}`));
    traced.addEventListener('message', (e) => log.push(`app2:${(e as MessageEvent).data as string}`));
    traced.dispatchEvent(message('a'));
    traced.dispatchEvent(message('b'));
    expect(log).toEqual(['arrive:a', 'app1:a', 'delivered:a', 'app2:a', 'arrive:b', 'app1:b', 'delivered:b', 'app2:b']);
  });

  it('keeps this, return values, handleEvent objects, once, removal and the onmessage getter as the app set them', () => {
    const { log, traced } = setup();
    const thisSeen: unknown[] = [];
    const fn = function (this: unknown): string {
      thisSeen.push(this);
      return 'r';
    };
    const object = {
      handleEvent(this: unknown): void {
        thisSeen.push(this);
      },
    };
    traced.addEventListener('message', fn);
    traced.addEventListener('message', fn); // a duplicate stays one registration
    traced.addEventListener('message', object, { once: true });
    const removed = (): void => void log.push('removed ran');
    traced.addEventListener('message', removed);
    traced.removeEventListener('message', removed);
    traced.onmessage = fn;
    expect(traced.onmessage).toBe(fn);
    traced.dispatchEvent(message('x'));
    traced.dispatchEvent(message('y'));
    expect(thisSeen).toEqual([traced, object, traced, traced, traced]);
    expect(log).toEqual(['arrive:x', 'delivered:x', 'arrive:y', 'delivered:y']);
    traced.onmessage = null;
    expect(traced.onmessage).toBeNull();
  });

  it("lets the app's exception through and still records the message", () => {
    const log: string[] = [];
    const listener = (): void => {
      throw new Error('app bug');
    };
    // A target whose native addEventListener hands us the registered function, to call it as dispatch would.
    let registered: ((event: Event) => unknown) | undefined;
    class Capturing extends EventTarget {
      override addEventListener(_type: string, fn: EventListenerOrEventListenerObject | null): void {
        registered = fn as (event: Event) => unknown;
      }
    }
    const target = new Capturing();
    const restore = installListenerWrapping(Capturing.prototype, (instance) => (instance === target ? wrappedTarget(fakeStream(log)) : undefined), () => true);
    target.addEventListener('message', listener);
    restore();
    expect(registered).toBeTypeOf('function');
    expect(() => registered?.call(target, message('z'))).toThrow('app bug');
    expect(log).toEqual(['arrive:z', 'delivered:z']);
  });

  it('leaves untraced instances and untimed event types native, and uninstalls', () => {
    const { log, traced, plain } = setup();
    const own = (): void => void log.push('open ran');
    traced.addEventListener('open', own);
    plain.addEventListener('message', () => log.push('plain ran'));
    traced.dispatchEvent(new Event('open'));
    plain.dispatchEvent(message('p'));
    expect(log).toEqual(['open ran', 'plain ran']);
    uninstall?.();
    uninstall = undefined;
    expect(Object.getOwnPropertyDescriptor(Source.prototype, 'addEventListener')).toBeUndefined();
    traced.addEventListener('message', () => log.push('after uninstall'));
    traced.dispatchEvent(message('q'));
    expect(log.slice(2)).toEqual(['after uninstall']);
  });
});
