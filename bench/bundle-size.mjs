// Bundle size of each quick start, built in the same run: esbuild (bundle, minify, browser, IIFE),
// gzip -9 and brotli (max), with the ratio to our shipped IIFE. `node bench/bundle-size.mjs [--json]
// [--before <old streamtrace.iife.js>]` (an earlier build of the script tag, with its .map: one more
// row, and its per-folder breakdown beside the current one).
import { readFileSync } from 'node:fs';
import { COMPETITORS, OTEL_CORE, OTEL_EQUIVALENT, OURS_ESM, bundle, oursBuilt, oursIife } from './lib/sdks.mjs';
import { compressedSizes } from './lib/compressed.mjs';
import { printTable } from './lib/table.mjs';
import { bundleBreakdown, shippedGzipBreakdown } from './lib/breakdown.mjs';

export async function measureBundleSizes() {
  if (!oursBuilt()) throw new Error('sdk/dist is missing: run `npm run build -w sdk` first');
  const rows = [{ id: 'streamtrace-iife', label: 'Streamtrace (IIFE as shipped)', ...compressedSizes(readFileSync(oursIife)) }];
  for (const sdk of [OURS_ESM, ...COMPETITORS, OTEL_EQUIVALENT, OTEL_CORE]) {
    rows.push({ id: sdk.id, label: sdk.label, ...compressedSizes(await bundle(sdk.entry)) });
  }
  return rows;
}

const kib = (n) => (n / 1024).toFixed(1);

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = performance.now();
  const beforeAt = process.argv.indexOf('--before');
  const before = beforeAt > 0 ? process.argv[beforeAt + 1] : undefined;
  const rows = await measureBundleSizes();
  const ours = rows[0];
  if (before !== undefined) rows.splice(1, 0, { id: 'streamtrace-iife-before', label: 'Streamtrace (IIFE, --before build)', ...compressedSizes(readFileSync(before)) });
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows, null, 2));
  console.log('\nBundle size of each quick start (esbuild minify+bundle, browser, IIFE)\n');
  printTable(
    ['SDK (quick start)', 'min KiB', 'gzip KiB', 'brotli KiB', 'gzip × ours'],
    rows.map((r) => [r.label, kib(r.raw), kib(r.gzip), kib(r.brotli), (r.gzip / ours.gzip).toFixed(2)]),
  );
  const { total, groups } = await bundleBreakdown(OURS_ESM.entry);
  console.log("\nWhere our bundled quick start's minified bytes come from (esbuild metafile, by package)\n");
  printTable(['package / folder', 'min KiB', 'share'], groups.slice(0, 10).map((g) => [g.name, kib(g.bytes), `${((g.bytes / total) * 100).toFixed(0)}%`]));
  const tag = shippedGzipBreakdown(oursIife);
  console.log("\nWhere the shipped script tag's bytes come from (its source map, by package / our folder;");
  console.log(`gzip = marginal cost, scaled to the file's ${kib(tag.total)} KiB)\n`);
  if (before === undefined) {
    printTable(
      ['package / folder', 'min KiB', 'gzip KiB', 'gzip share'],
      tag.groups.map((g) => [g.name, kib(g.minBytes), kib(g.bytes), `${((g.bytes / tag.total) * 100).toFixed(0)}%`]),
    );
  } else {
    const old = new Map(shippedGzipBreakdown(before).groups.map((g) => [g.name, g]));
    const names = [...new Set([...tag.groups.map((g) => g.name), ...old.keys()])];
    const now = new Map(tag.groups.map((g) => [g.name, g]));
    printTable(
      ['package / folder', 'min KiB before', 'min KiB', 'gzip KiB before', 'gzip KiB', 'gzip B change'],
      names.map((n) => [n, kib(old.get(n)?.minBytes ?? 0), kib(now.get(n)?.minBytes ?? 0), kib(old.get(n)?.bytes ?? 0), kib(now.get(n)?.bytes ?? 0), String((now.get(n)?.bytes ?? 0) - (old.get(n)?.bytes ?? 0))]),
    );
  }
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
