import { describe, expect, it } from 'vitest';
import { createSession, SESSION_KEY } from './session.js';
import { createStore, type KeyValueStore } from './storage.js';

function memoryStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, get: (k) => data.get(k) ?? null, set: (k, v) => void data.set(k, v) };
}

describe('session', () => {
  it('keeps its id while active and announces the start once', () => {
    let t = 0;
    let n = 0;
    const session = createSession({ store: memoryStore(), inactivityMs: 1000, maxAgeMs: 10_000, now: () => t, newId: () => `s${++n}` });
    const first = session.touch();
    expect(first).toEqual({ id: 's1', started: true });
    t = 900;
    expect(session.touch()).toEqual({ id: 's1', started: false });
    t = 1800;
    expect(session.peek()).toBe('s1');
  });

  it('rotates after inactivity and records the previous id', () => {
    let t = 0;
    let n = 0;
    const session = createSession({ store: memoryStore(), inactivityMs: 1000, maxAgeMs: 10_000, now: () => t, newId: () => `s${++n}` });
    session.touch();
    t = 2001;
    expect(session.touch()).toEqual({ id: 's2', started: true, previousId: 's1' });
  });

  it('rotates after the maximum age even when active', () => {
    let t = 0;
    let n = 0;
    const session = createSession({ store: memoryStore(), inactivityMs: 1000, maxAgeMs: 3000, now: () => t, newId: () => `s${++n}` });
    for (t = 0; t < 3000; t += 500) session.touch();
    t = 3000;
    expect(session.touch().id).toBe('s1');
    t = 3501;
    expect(session.touch()).toMatchObject({ id: 's2', previousId: 's1', started: true });
  });

  it('resumes a stored session without announcing it again', () => {
    const store = memoryStore();
    store.data.set(SESSION_KEY, JSON.stringify({ id: 'stored', startedAt: 0, lastActivity: 0 }));
    const session = createSession({ store, inactivityMs: 1000, maxAgeMs: 10_000, now: () => 10 });
    expect(session.touch()).toEqual({ id: 'stored', started: false });
  });

  it('does not trust a stored id that could not be its own: a new session starts, the app keeps working', () => {
    for (const bad of ['h'.repeat(100_000), 'abc\r\nx-evil: 1', 'sess\u{1F642}', '', 42]) {
      const store = memoryStore();
      store.data.set(SESSION_KEY, JSON.stringify({ id: bad, startedAt: 0, lastActivity: 0 }));
      const session = createSession({ store, inactivityMs: 1000, maxAgeMs: 10_000, now: () => 10 });
      const started = session.touch();
      expect(started.started).toBe(true);
      expect(started.id).toMatch(/^[\da-f]{32}$/);
      expect(started.previousId).toBeUndefined();
    }
    const store = memoryStore();
    store.data.set(SESSION_KEY, JSON.stringify({ id: 'a'.repeat(32), previousId: 'x'.repeat(5000), startedAt: 0, lastActivity: 0 }));
    const session = createSession({ store, inactivityMs: 1000, maxAgeMs: 10_000, now: () => 10 });
    expect(session.touch()).toEqual({ id: 'a'.repeat(32), started: false });
  });

  it('uses sessionStorage by default and falls back to memory when storage is blocked', () => {
    const store = createStore('session');
    const session = createSession({ store, inactivityMs: 1000, maxAgeMs: 10_000 });
    const id = session.peek();
    expect(JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? '{}').id).toBe(id);

    const original = Object.getOwnPropertyDescriptor(globalThis, 'localStorage');
    Object.defineProperty(globalThis, 'localStorage', { configurable: true, get: () => { throw new DOMException('blocked', 'SecurityError'); } });
    try {
      const blocked = createSession({ store: createStore('local'), inactivityMs: 1000, maxAgeMs: 10_000 });
      const blockedId = blocked.peek();
      expect(blockedId).toMatch(/^[\da-f]{32}$/);
      expect(blocked.peek()).toBe(blockedId);
    } finally {
      if (original) Object.defineProperty(globalThis, 'localStorage', original);
    }
  });
});
