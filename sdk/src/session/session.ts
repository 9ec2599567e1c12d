import type { KeyValueStore } from './storage.js';
import { randomId } from './ids.js';

export const SESSION_KEY = 'streamtrace.session';

interface SessionRecord {
  id: string;
  startedAt: number;
  lastActivity: number;
  previousId?: string;
}

export interface SessionOptions {
  store: KeyValueStore;
  inactivityMs: number;
  maxAgeMs: number;
  now?: () => number;
  newId?: () => string;
}

export interface Session {
  /** The current id (rotating first if the session expired), without marking activity. */
  peek(): string;
  /** Marks activity; rotates an expired session. `started` is true once per new session; `previousId` is the session it replaced, if any. */
  touch(): { id: string; started: boolean; previousId?: string };
}

/**
 * What a stored id may look like. The record is shared with every script of the origin (and, with
 * `sessionStorage: 'local'`, every tab): an id that could not be ours (huge, or characters a header
 * or URL cannot carry) would break the app's own requests, so it starts a new session instead.
 */
const STORED_ID = /^[\w-]{1,64}$/;

function parse(raw: string | null): SessionRecord | undefined {
  if (raw === null) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<SessionRecord>;
    if (typeof value.id === 'string' && STORED_ID.test(value.id) && typeof value.startedAt === 'number' && typeof value.lastActivity === 'number') {
      const { id, startedAt, lastActivity, previousId } = value;
      // An undefined previousId is left out when the record is stored again (JSON).
      return { id, startedAt, lastActivity, previousId: typeof previousId === 'string' && STORED_ID.test(previousId) ? previousId : undefined };
    }
  } catch {
    // corrupt entry: start a new session
  }
  return undefined;
}

export function createSession(options: SessionOptions): Session {
  const now = options.now ?? (() => Date.now());
  const newId = options.newId ?? randomId;
  let record = parse(options.store.get(SESSION_KEY));
  // A session found in storage was started by an earlier page: do not announce it again.
  let announced = record !== undefined;

  const expired = (r: SessionRecord, t: number): boolean =>
    t - r.lastActivity > options.inactivityMs || t - r.startedAt > options.maxAgeMs;

  const current = (t: number): SessionRecord => {
    // Another tab may have rotated a shared (localStorage) session.
    const stored = parse(options.store.get(SESSION_KEY));
    if (stored !== undefined && (record === undefined || stored.id !== record.id)) {
      record = stored;
    }
    if (record === undefined || expired(record, t)) {
      record = { id: newId(), startedAt: t, lastActivity: t, previousId: record?.id };
      announced = false;
      options.store.set(SESSION_KEY, JSON.stringify(record));
    }
    return record;
  };

  return {
    peek() {
      return current(now()).id;
    },
    touch() {
      const t = now();
      const r = current(t);
      r.lastActivity = t;
      options.store.set(SESSION_KEY, JSON.stringify(r));
      const started = !announced;
      announced = true;
      return { id: r.id, started, previousId: r.previousId };
    },
  };
}
