// Our SDK's hottest functions by self time, mapped to original source file:line through the IIFE's source map.
import { originalLocator } from './sourcemap.mjs';
import { printTable } from './table.mjs';

export function hotFunctions({ scripts, results }, sdk, limit = 15) {
  const maps = new Map(scripts.get(sdk).files.filter((f) => f.map).map((f) => [f.name, originalLocator(f.map)]));
  const totals = new Map();
  let sdkUs = 0;
  for (const r of results.filter((x) => x.sdk === sdk)) {
    sdkUs += r.summary.sdkUs;
    for (const fn of r.summary.functions) {
      const file = fn.url.split('/').pop();
      const loc = maps.get(file)?.(fn) ?? undefined;
      const where = loc ? `${loc.source}:${loc.line}` : `${file}:${fn.lineNumber + 1}:${fn.columnNumber + 1}`;
      const name = loc?.name ?? (fn.functionName || '(anonymous)');
      const key = `${name} ${where}`;
      const entry = totals.get(key) ?? { name, where, minified: fn.functionName, selfUs: 0 };
      entry.selfUs += fn.selfUs;
      totals.set(key, entry);
    }
  }
  return [...totals.values()]
    .sort((a, b) => b.selfUs - a.selfUs)
    .slice(0, limit)
    .map((e) => ({ ...e, shareOfSdk: sdkUs > 0 ? e.selfUs / sdkUs : 0 }));
}

export function printHotFunctions(rows) {
  printTable(
    ['function', 'source', 'self ms (all runs)', 'share of SDK time'],
    rows.map((r) => [r.name, r.where, (r.selfUs / 1000).toFixed(1), `${(r.shareOfSdk * 100).toFixed(1)}%`]),
  );
}
