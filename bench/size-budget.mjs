// CI size budget: fails (exit 1) when a shipped file's gzip -9 size exceeds its budget in bench/budget.json.
// `node bench/size-budget.mjs` prints one line per file and then `N passed, N failed`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchDir, repoDir } from './lib/sdks.mjs';
import { compressedSizes } from './lib/compressed.mjs';

const budget = JSON.parse(readFileSync(join(benchDir, 'budget.json'), 'utf8'));
let passed = 0;
let failed = 0;
for (const [file, { gzipBytes }] of Object.entries(budget.files)) {
  const path = join(repoDir, file);
  if (!existsSync(path)) {
    failed++;
    console.log(`FAIL ${file}: missing (build it first: npm run build -w sdk)`);
    continue;
  }
  const { gzip } = compressedSizes(readFileSync(path));
  const ok = gzip <= gzipBytes;
  if (ok) passed++;
  else failed++;
  const pct = ((gzip / gzipBytes) * 100).toFixed(1);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${file}: ${gzip} B gzip (${(gzip / 1024).toFixed(1)} KiB), budget ${gzipBytes} B — ${pct}% of budget`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
