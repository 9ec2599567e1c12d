import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';

let dir: string;
let entry: string;

beforeAll(async () => {
  // The entry is compiled on the fly so the test does not depend on a prior `npm run build`.
  // It stays inside the repository so `node_modules` resolves as it does for dist/.
  dir = await mkdtemp(join(process.env.TMPDIR ?? '/work/main/.tmp', 'collector-main-'));
  entry = join(dir, 'main.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./main.ts', import.meta.url))],
    outfile: entry,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function readyLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (line) resolve(line);
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code} before READY`)));
  });
}

describe('collector main', () => {
  it('prints the READY line, serves, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [entry, '--port', '0', '--max-spans', '123'], { env: { ...process.env, COLLECTOR_PORT: '' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const line = await readyLine(child);
    expect(line).toMatch(/^READY streamtrace-collector http:\/\/127\.0\.0\.1:\d+$/);
    const url = line.split(' ')[2] as string;
    const health = (await (await fetch(`${url}/api/health`)).json()) as { ok: boolean; maxSpans: number };
    expect(health).toMatchObject({ ok: true, maxSpans: 123 });

    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('max 123 spans');
  });

  it('exits with status 2 and usage on a bad flag', async () => {
    const child = spawn(process.execPath, [entry, '--port', 'nope']);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('Usage:');
  });
});
