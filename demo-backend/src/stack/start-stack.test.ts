// Needs the built dist (`npm run build` does it).
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startStack } from './start-stack.js';

/** Processes whose environment carries `marker` (Linux /proc), i.e. children of this stack. */
function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker)) pids.push(Number(entry));
    } catch {
      // process gone or not ours to read
    }
  }
  return pids;
}

describe('startStack', () => {
  it('fails readably when a service cannot start, and leaves no process behind', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    const marker = `STACK_TEST_MARK=${randomUUID()}`;
    try {
      const error = await startStack({ ports: { gateway: port }, env: { STACK_TEST_MARK: marker.split('=')[1]! } }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(/chat-gateway did not start/);
      expect(error?.message).toMatch(/EADDRINUSE/);
      expect(processesWith(marker)).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  it('wires the services together and stops them all', async () => {
    const marker = `STACK_TEST_MARK=${randomUUID()}`;
    const stack = await startStack({ env: { STACK_TEST_MARK: marker.split('=')[1]! } });
    try {
      expect(processesWith(marker)).toHaveLength(4);
      const health = (await (await fetch(`${stack.urls.gateway}/api/health`)).json()) as Record<string, unknown>;
      expect(health).toMatchObject({ status: 'ok', vectorStoreUrl: stack.urls.vectorStore, modelUrl: stack.urls.model });
      expect((await fetch(`${stack.urls.collector}/api/traces`)).status).toBe(200);
    } finally {
      await stack.stop();
    }
    await expect(fetch(`${stack.urls.gateway}/api/health`)).rejects.toThrow();
    await expect(fetch(`${stack.urls.collector}/api/traces`)).rejects.toThrow();
    expect(processesWith(marker)).toEqual([]);
  });
});
