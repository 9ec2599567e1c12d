import { describe, expect, it } from 'vitest';
import { createTabBuffers } from './tab-buffer';
import type { KeyValueStorage } from './tab-buffer';
import type { PageMessage } from './protocol';

function mapStorage(): KeyValueStorage & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  return {
    map,
    async get(keys) {
      return Object.fromEntries(keys.filter((key) => map.has(key)).map((key) => [key, structuredClone(map.get(key))]));
    },
    async set(items) {
      for (const [key, value] of Object.entries(items)) map.set(key, structuredClone(value));
    },
    async remove(keys) {
      for (const key of keys) map.delete(key);
    },
  };
}

const message = (index: number): PageMessage => ({
  source: 'streamtrace-sdk', version: 1, type: 'chunks',
  payload: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', chunks: [{ index, bytes: 1, arrivalMs: index }] },
});

describe('tab buffers', () => {
  it('survives a restarted worker: a new instance over the same storage replays every entry', async () => {
    const storage = mapStorage();
    const first = createTabBuffers({ storage });
    await first.append(7, message(0));
    await first.append(7, message(1));
    const restarted = createTabBuffers({ storage });
    const { entries } = await restarted.since(7, 0);
    expect(entries.map((entry) => entry.seq)).toEqual([1, 2]);
    expect(await restarted.append(7, message(2))).toMatchObject({ seq: 3 });
    expect((await restarted.since(7, 2)).entries.map((entry) => entry.seq)).toEqual([3]);
  });

  it('keeps at most maxEntries per tab, dropping the oldest from memory and storage', async () => {
    const storage = mapStorage();
    const buffers = createTabBuffers({ storage, maxEntries: 3 });
    for (let i = 0; i < 10; i += 1) await buffers.append(1, message(i));
    expect((await buffers.since(1, 0)).entries.map((entry) => entry.seq)).toEqual([8, 9, 10]);
    expect([...storage.map.keys()].filter((key) => key.startsWith('tab:1:') && !key.endsWith('meta'))).toHaveLength(3);
  });

  it('clear keeps sequence numbers moving; drop (tab closed) restarts them and tells the panel to reset', async () => {
    const buffers = createTabBuffers({ storage: mapStorage() });
    await buffers.append(2, message(0));
    await buffers.clear(2);
    expect((await buffers.since(2, 1)).entries).toEqual([]);
    expect(await buffers.append(2, message(1))).toMatchObject({ seq: 2 });
    await buffers.drop(2);
    await buffers.append(2, message(2));
    const after = await buffers.since(2, 2);
    expect(after.reset).toBe(true);
    expect(after.entries.map((entry) => entry.seq)).toEqual([1]);
  });
});
