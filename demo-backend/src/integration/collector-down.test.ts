// Needs the built dist (`npm run build` does it): a traced service whose collector is down.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spawnService } from '../stack/spawn-service.js';

const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));

/** A port nothing listens on: bound, read, released. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('collector down', () => {
  it('a traced service starts, serves, logs to stdout and stops cleanly while every OTLP export fails', async () => {
    const lines: string[] = [];
    const service = await spawnService({
      name: 'vector-store',
      args: ['--import', './dist/telemetry/register.js', './dist/retrieval/main.js'],
      env: { OTEL_SERVICE_NAME: 'vector-store', OTLP_ENDPOINT: `http://127.0.0.1:${await deadPort()}`, VECTOR_STORE_PORT: '0', OTEL_METRIC_EXPORT_INTERVAL: '200' },
      cwd: PACKAGE_DIR,
      readyTimeoutMs: 20_000,
      log: (line) => lines.push(line),
    });
    try {
      for (let i = 0; i < 3; i++) {
        const response = await fetch(`${service.url}/search`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: 'time to first token', topK: 2 }),
        });
        expect(response.status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(lines.filter((line) => line.includes('"msg":"vector search done"'))).toHaveLength(3);
    } finally {
      const exit = new Promise<number | null>((resolve) => service.child.once('exit', (code) => resolve(code)));
      await service.stop();
      expect(await exit).toBe(0);
    }
  });
});
