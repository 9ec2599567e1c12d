import type { StorageKind } from '../config.js';

export interface KeyValueStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
}

/** Web Storage with a memory fallback: blocked storage (privacy modes, sandboxed iframes) must not break tracing. */
export function createStore(kind: StorageKind): KeyValueStore {
  const memory = new Map<string, string>();
  let backing: Storage | undefined;
  if (kind !== 'memory') {
    try {
      backing = kind === 'local' ? globalThis.localStorage : globalThis.sessionStorage;
      const probe = '__streamtrace_probe__';
      backing.setItem(probe, '1');
      backing.removeItem(probe);
    } catch {
      backing = undefined;
    }
  }
  return {
    get(key) {
      if (backing !== undefined) {
        try {
          return backing.getItem(key);
        } catch {
          backing = undefined;
        }
      }
      return memory.get(key) ?? null;
    },
    set(key, value) {
      memory.set(key, value);
      if (backing !== undefined) {
        try {
          backing.setItem(key, value);
        } catch {
          backing = undefined;
        }
      }
    },
  };
}
