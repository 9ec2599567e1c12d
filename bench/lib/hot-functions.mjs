// Our SDK's hottest functions by self time, mapped to original source file:line through the IIFE's source map.
import { originalLocator } from './sourcemap.mjs';
import { printTable } from './table.mjs';

/** `part`: 'summary' (the whole profile) or 'steady' (the middle half of the stream, see stream-run.mjs). */
export function hotFunctions({ scripts, results }, sdk, limit = 15, part = 'summary') {
  const maps = new Map(scripts.get(sdk).files.filter((f) => f.map).map((f) => [f.name, originalLocator(f.map)]));
  const totals = new Map();
  let sdkUs = 0;
  const locate = (frame) => {
    const file = frame.url.split('/').pop() || '(native)';
    const loc = maps.get(file)?.(frame) ?? undefined;
    return loc ? { name: loc.name ?? (frame.functionName || '(anonymous)'), where: `${loc.source}:${loc.line}` } : { name: frame.functionName || '(anonymous)', where: frame.url ? `${file}:${frame.lineNumber + 1}` : '' };
  };
  for (const r of results.filter((x) => x.sdk === sdk)) {
    sdkUs += r[part].sdkUs;
    for (const fn of r[part].functions) {
      const file = fn.url.split('/').pop();
      const loc = maps.get(file)?.(fn) ?? undefined;
      const where = loc ? `${loc.source}:${loc.line}` : `${file}:${fn.lineNumber + 1}:${fn.columnNumber + 1}`;
      const name = loc?.name ?? (fn.functionName || '(anonymous)');
      const key = `${name} ${where}`;
      const entry = totals.get(key) ?? { name, where, minified: fn.functionName, selfUs: 0, callers: new Map() };
      entry.selfUs += fn.selfUs;
      for (const caller of fn.callers.values()) {
        const c = locate(caller);
        const label = c.where ? `${c.name} ${c.where}` : c.name;
        entry.callers.set(label, (entry.callers.get(label) ?? 0) + caller.selfUs);
      }
      totals.set(key, entry);
    }
  }
  return [...totals.values()]
    .sort((a, b) => b.selfUs - a.selfUs)
    .slice(0, limit)
    .map((e) => {
      const [topCaller] = [...e.callers.entries()].sort((a, b) => b[1] - a[1]);
      return { ...e, shareOfSdk: sdkUs > 0 ? e.selfUs / sdkUs : 0, topCaller: topCaller ? `${topCaller[0]} (${Math.round((topCaller[1] / e.selfUs) * 100)}%)` : '' };
    });
}

export function printHotFunctions(rows) {
  printTable(
    ['function', 'source', 'self ms (all runs)', 'share of SDK time', 'mostly called from'],
    rows.map((r) => [r.name, r.where, (r.selfUs / 1000).toFixed(1), `${(r.shareOfSdk * 100).toFixed(1)}%`, r.topCaller]),
  );
}
