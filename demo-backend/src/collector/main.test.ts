import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';

let dir: string;
let entry: string;

beforeAll(async () => {
  // The collector's files are transpiled on the fly so the test does not depend on a prior
  // `npm run build`. They stay inside the repository so `node_modules` resolves as for dist/.
  dir = await mkdtemp(join(process.env.TMPDIR ?? '/work/main/.tmp', 'collector-main-'));
  await writeFile(join(dir, 'package.json'), '{"type":"module"}');
  // The collector imports demo-backend/src/shared too, so both folders keep their relative layout.
  const src = fileURLToPath(new URL('..', import.meta.url));
  for (const folder of ['collector', 'shared']) {
    for (const file of await readdir(join(src, folder), { recursive: true })) {
      if (!file.endsWith('.ts') || file.includes('.test')) continue;
      const { outputText } = ts.transpileModule(await readFile(join(src, folder, file), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      });
      const target = join(dir, folder, file.replace(/\.ts$/, '.js'));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, outputText);
    }
  }
  entry = join(dir, 'collector', 'main.js');
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
