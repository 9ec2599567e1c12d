// Type-checks TypeScript snippets against the built workspace packages with the real `tsc`.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const COMMON = {
  target: 'ES2022',
  strict: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: true,
  noEmit: true,
  isolatedModules: true,
  verbatimModuleSyntax: true,
  esModuleInterop: true,
};

export const ENVIRONMENTS = {
  browser: { ...COMMON, lib: ['ES2023', 'DOM', 'DOM.Iterable'], module: 'ESNext', moduleResolution: 'Bundler', types: [] },
  node: {
    ...COMMON,
    lib: ['ES2023'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    types: ['node'],
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
  },
};

/**
 * Writes each snippet as `<id>.ts` in `dir/<env>` and runs one `tsc -p` per environment.
 * Resolves to a map snippet id → list of error lines (empty when it type-checks).
 */
export async function typecheck(snippets, env, dir, root) {
  const out = join(dir, env);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  writeFileSync(join(out, 'tsconfig.json'), JSON.stringify({ compilerOptions: ENVIRONMENTS[env], include: ['*.ts'] }, null, 2));
  for (const s of snippets) writeFileSync(join(out, `${s.id}.ts`), s.code);
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const output = await new Promise((resolve) => {
    execFile(process.execPath, [tsc, '-p', out, '--pretty', 'false'], { maxBuffer: 16 << 20 }, (_error, stdout, stderr) => resolve(stdout + stderr));
  });
  const errors = new Map(snippets.map((s) => [s.id, []]));
  const unattributed = [];
  for (const line of output.split('\n')) {
    const m = /^(?:.*[\\/])?([\w-]+)\.ts\((\d+),(\d+)\): (error .*)$/.exec(line);
    const snippet = m && snippets.find((s) => s.id === m[1]);
    if (snippet) errors.get(snippet.id).push(`guide line ${snippet.line + Number(m[2])}: ${m[4]}`);
    else if (/error TS/.test(line)) unattributed.push(line);
  }
  // An error outside the snippets (bad config, missing types) fails every snippet of this environment.
  if (unattributed.length) for (const list of errors.values()) list.push(...unattributed);
  return errors;
}
