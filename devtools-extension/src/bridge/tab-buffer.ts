import type { BufferedEntry } from './port-messages';
import type { PageMessage } from './protocol';

/** The slice of chrome.storage.session the buffer needs; injected so tests use a Map. */
export interface KeyValueStorage {
  get(keys: string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

export interface TabBufferOptions {
  storage: KeyValueStorage;
  /** Per tab; the oldest entries go first. Protects session storage (10 MB for the extension). */
  maxEntries?: number;
  maxBytes?: number;
}

export interface SinceResult {
  entries: BufferedEntry[];
  /** True when the panel's position is ahead of the buffer (buffer restarted): replay everything. */
  reset: boolean;
  nextSeq: number;
}

export interface TabBuffers {
  append(tabId: number, message: PageMessage): Promise<BufferedEntry>;
  since(tabId: number, afterSeq: number): Promise<SinceResult>;
  clear(tabId: number): Promise<void>;
  /** Forget the tab entirely (closed). */
  drop(tabId: number): Promise<void>;
}

interface Meta {
  first: number;
  next: number;
  sizes: number[];
}

interface TabState {
  meta: Meta;
  entries: Map<number, PageMessage>;
  bytes: number;
}

const metaKey = (tabId: number): string => `tab:${tabId}:meta`;
const entryKey = (tabId: number, seq: number): string => `tab:${tabId}:${seq}`;

/**
 * Per-tab ring buffer kept in memory and mirrored entry by entry into storage, so a stopped and
 * restarted MV3 service worker finds every message again.
 */
export function createTabBuffers(options: TabBufferOptions): TabBuffers {
  const { storage } = options;
  const maxEntries = options.maxEntries ?? 1000;
  const maxBytes = options.maxBytes ?? 3 * 1024 * 1024;
  const states = new Map<number, Promise<TabState>>();
  // Operations on one tab run strictly one after another.
  const chains = new Map<number, Promise<unknown>>();

  function serial<T>(tabId: number, task: () => Promise<T>): Promise<T> {
    const previous = chains.get(tabId) ?? Promise.resolve();
    const next = previous.then(task, task);
    chains.set(tabId, next.catch(() => undefined));
    return next;
  }

  async function load(tabId: number): Promise<TabState> {
    const raw = (await storage.get([metaKey(tabId)]))[metaKey(tabId)] as Meta | undefined;
    const meta: Meta = raw && Number.isInteger(raw.first) && Number.isInteger(raw.next) && Array.isArray(raw.sizes)
      ? raw
      : { first: 1, next: 1, sizes: [] };
    const keys: string[] = [];
    for (let seq = meta.first; seq < meta.next; seq += 1) keys.push(entryKey(tabId, seq));
    const stored = keys.length ? await storage.get(keys) : {};
    const entries = new Map<number, PageMessage>();
    for (let seq = meta.first; seq < meta.next; seq += 1) {
      const message = stored[entryKey(tabId, seq)];
      if (message) entries.set(seq, message as PageMessage);
    }
    return { meta, entries, bytes: meta.sizes.reduce((sum, size) => sum + size, 0) };
  }

  function state(tabId: number): Promise<TabState> {
    let found = states.get(tabId);
    if (!found) {
      found = load(tabId);
      states.set(tabId, found);
      found.catch(() => states.delete(tabId));
    }
    return found;
  }

  return {
    append: (tabId, message) =>
      serial(tabId, async () => {
        const tab = await state(tabId);
        const size = JSON.stringify(message).length;
        const seq = tab.meta.next;
        tab.entries.set(seq, message);
        tab.meta.next += 1;
        tab.meta.sizes.push(size);
        tab.bytes += size;
        const evicted: string[] = [];
        while (tab.meta.sizes.length > 1 && (tab.meta.sizes.length > maxEntries || tab.bytes > maxBytes)) {
          tab.bytes -= tab.meta.sizes.shift() ?? 0;
          tab.entries.delete(tab.meta.first);
          evicted.push(entryKey(tabId, tab.meta.first));
          tab.meta.first += 1;
        }
        try {
          await storage.set({ [entryKey(tabId, seq)]: message, [metaKey(tabId)]: tab.meta });
          if (evicted.length) await storage.remove(evicted);
        } catch {
          // Quota or a closing worker: memory still has the entry; the next write persists meta again.
        }
        return { seq, message };
      }),
    since: (tabId, afterSeq) =>
      serial(tabId, async () => {
        const tab = await state(tabId);
        const reset = afterSeq >= tab.meta.next;
        const from = reset ? tab.meta.first : Math.max(afterSeq + 1, tab.meta.first);
        const entries: BufferedEntry[] = [];
        for (let seq = from; seq < tab.meta.next; seq += 1) {
          const message = tab.entries.get(seq);
          if (message) entries.push({ seq, message });
        }
        return { entries, reset, nextSeq: tab.meta.next };
      }),
    clear: (tabId) =>
      serial(tabId, async () => {
        const tab = await state(tabId);
        const keys: string[] = [];
        for (let seq = tab.meta.first; seq < tab.meta.next; seq += 1) keys.push(entryKey(tabId, seq));
        tab.entries.clear();
        tab.meta = { first: tab.meta.next, next: tab.meta.next, sizes: [] };
        tab.bytes = 0;
        try {
          await storage.set({ [metaKey(tabId)]: tab.meta });
          if (keys.length) await storage.remove(keys);
        } catch {
          // best effort
        }
      }),
    drop: (tabId) =>
      serial(tabId, async () => {
        const tab = await state(tabId);
        const keys = [metaKey(tabId)];
        for (let seq = tab.meta.first; seq < tab.meta.next; seq += 1) keys.push(entryKey(tabId, seq));
        states.delete(tabId);
        try {
          await storage.remove(keys);
        } catch {
          // best effort
        }
      }),
  };
}
