// Runs every bench script in sequence (each prints its own tables). `npm run bench` builds first.
// Extra arguments are passed to every bench that runs several rounds, e.g. `node bench/run-all.mjs --runs 1`.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const extra = process.argv.slice(2);
const steps = [
  ['size-budget.mjs', []],
  ['bundle-size.mjs', []],
  ['export-efficiency.mjs', []],
  ['chunk-overhead.mjs', extra],
  ['main-thread.mjs', extra],
  ['panel-render.mjs', extra],
  ['collector.mjs', extra],
  ['backend.mjs', extra],
  ['paint-truth.mjs', extra],
];
const started = performance.now();
let failed = 0;
for (const [script, args] of steps) {
  console.log(`\n=== ${script} ${args.join(' ')}`.trimEnd());
  const { status } = spawnSync(process.execPath, [join(here, script), ...args], { stdio: 'inherit' });
  if (status !== 0) {
    failed++;
    console.log(`=== ${script} exited with ${status}`);
  }
}
console.log(`\n${steps.length - failed} of ${steps.length} bench scripts succeeded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
process.exitCode = failed > 0 ? 1 : 0;
