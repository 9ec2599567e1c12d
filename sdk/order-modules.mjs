// Picks the order of modules in the script tag (sdk/bundle-order.json, read by build.mjs) that
// gzips smallest: gzip finds repeats only within 32 KiB, so which modules sit near each other
// matters (~0.5 KiB on this file). Run after `node build.mjs`; it searches on the built file's
// minified modules (cut out through its source map, reordered as the bundler would order them:
// every module after what it imports), then rebuilds and keeps the new order only if the real
// file is smaller. `--by brotli` scores orders by brotli quality 11 instead (as bench/lib/compressed.mjs),
// ~80× slower per order, hence 600 by default; brotli's window holds the whole file, so there the
// order moves only its context modelling (tens of bytes), and a gzip search can cost brotli ~50 B.
// `node order-modules.mjs [--by gzip|brotli] [--iterations N]`.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { SourceMapConsumer } from 'source-map-js';

const root = dirname(fileURLToPath(import.meta.url));
const orderFile = join(root, 'bundle-order.json');
const file = join(root, 'dist/streamtrace.iife.js');
const option = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const by = option('--by') ?? 'gzip';
const gz = (text) => gzipSync(text, { level: 9 }).length;
// As bench/lib/compressed.mjs measures it.
const br = (text) => brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(text) } }).length;
const score = { gzip: gz, brotli: br }[by];
if (score === undefined) throw new Error(`order-modules.mjs: --by ${by}: use gzip or brotli`);
const iterations = Number(option('--iterations')) || (by === 'gzip' ? 6000 : 600);
const build = () => {
  execFileSync(process.execPath, [join(root, 'build.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const bytes = readFileSync(file);
  const sizes = { gzip: gz(bytes), brotli: br(bytes) };
  return { ...sizes, score: sizes[by] };
};
const sizes = (s) => `${s.gzip} B gzip, ${s.brotli} B brotli`;

/** The built file cut into one text per source module, in file order, plus what precedes them. */
function modulesOf() {
  const code = readFileSync(file, 'utf8');
  const consumer = new SourceMapConsumer(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
  const lineStarts = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === '\n') lineStarts.push(i + 1);
  const first = new Map();
  consumer.eachMapping((mapping) => {
    if (mapping.source === null || first.has(mapping.source)) return;
    first.set(mapping.source, lineStarts[mapping.generatedLine - 1] + mapping.generatedColumn);
  }, null, SourceMapConsumer.GENERATED_ORDER);
  const ordered = [...first.entries()].sort((a, b) => a[1] - b[1]);
  const modules = ordered.map(([source, start], i) => ({ path: resolve(dirname(file), source), text: code.slice(start, ordered[i + 1]?.[1] ?? code.length) }));
  return { head: code.slice(0, ordered[0][1]), modules };
}

/** Runtime imports of a module, in order, as absolute paths of modules in the bundle. */
function importsOf(path, known) {
  const out = [];
  const source = readFileSync(path, 'utf8');
  for (const m of source.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
    const spec = m[1];
    let target;
    if (spec === '@opentelemetry/api') target = join(root, 'src/api-lite.ts');
    else if (spec.startsWith('.')) target = resolve(dirname(path), spec.replace(/\.js$/, '.ts'));
    else target = [...known].find((k) => k.includes(`/node_modules/${spec}/`));
    if (target && known.has(target) && target !== path) out.push(target);
  }
  return out;
}

/** How the bundler orders modules when the entry first imports `priority` in turn: depth first, imports before importers. */
function effectiveOrder(priority, graph) {
  const seen = new Set();
  const order = [];
  const visit = (m) => {
    if (seen.has(m)) return;
    seen.add(m);
    for (const dep of graph.get(m) ?? []) visit(dep);
    order.push(m);
  };
  for (const m of priority) visit(m);
  return order;
}

const key = (path) => (path.includes('/node_modules/') ? path.slice(path.lastIndexOf('/node_modules/') + 14).split('/')[0] : relative(root, path));
const before = build();
const { head, modules } = modulesOf();
const text = new Map(modules.map((m) => [m.path, m.text]));
const known = new Set(text.keys());
const entry = join(root, 'src/script-tag.ts');
const graph = new Map([...known].map((p) => [p, importsOf(p, known)]));
const size = (priority) => score(head + effectiveOrder([...priority, entry], graph).map((p) => text.get(p)).join(''));

let best = modules.map((m) => m.path).filter((p) => p !== entry);
let bestSize = size(best);
process.stderr.write(`built ${sizes(before)}; searching ${iterations} orders of ${best.length} modules by ${by} from ${bestSize} B\n`);
let seed = 20261127;
const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
for (let i = 0; i < iterations; i++) {
  const next = best.slice();
  const [moved] = next.splice(Math.floor(random() * next.length), 1);
  next.splice(Math.floor(random() * next.length), 0, moved);
  const s = size(next);
  if (s < bestSize) {
    best = next;
    bestSize = s;
  }
}
process.stderr.write(`searched: ${bestSize} B\n`);
const previous = existsSync(orderFile) ? readFileSync(orderFile, 'utf8') : undefined;
writeFileSync(orderFile, `${JSON.stringify(effectiveOrder(best, graph).map(key), null, 1)}\n`);
const after = build();
if (after.score < before.score) console.log(`sdk/bundle-order.json: script tag ${sizes(before)} → ${sizes(after)}`);
else {
  if (previous === undefined) writeFileSync(orderFile, '[]\n');
  else writeFileSync(orderFile, previous);
  build();
  console.log(`no smaller order by ${by} found (${sizes(after)}; was ${sizes(before)}); sdk/bundle-order.json unchanged`);
}
