// Picks the order of modules in the script tag (sdk/bundle-order.json, read by build.mjs) that
// gzips smallest: gzip finds repeats only within 32 KiB, so which modules sit near each other
// matters (~0.5 KiB on this file). Run after `node build.mjs`; it searches on the built file's
// minified modules (cut out through its source map, reordered as the bundler would order them:
// every module after what it imports), then rebuilds and keeps the new order only if the real
// file is smaller. `--by brotli` scores orders by brotli quality 11 instead (as bench/lib/compressed.mjs),
// ~80× slower per order, hence 600 by default; brotli's window holds the whole file, so there the
// order moves only its context modelling (tens of bytes), and a gzip search can cost brotli ~50 B.
// `--target esm` orders the ESM `index` entry instead (sdk/bundle-order-esm.json): each candidate
// is scored on the app bench/bundle-size.mjs measures (its quick start importing our `init`,
// bundled by esbuild with the bench's options), as that is what an npm user ships.
// `--estimate N` only prints the mean size over N fixed pseudo-random valid orders (same seed and
// moves every time): one build's brotli size moves ±20–50 B with any edit, this mean (s.e. ≈ 3 B
// at 64) says whether a source change made the file smaller.
// `--rebuilds N` (script tag): the search above scores spliced minified modules, but a rebuild in a
// new order renames identifiers differently, so its found order can be 40 B worse once built; this
// climbs on real builds instead (one module moved per step, kept when the built file is smaller by
// `--by` and its gzip still within bench/budget.json), ~7 s per step.
// `node order-modules.mjs [--target iife|esm] [--by gzip|brotli] [--iterations N | --estimate N | --rebuilds N [--seed S]]`.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { SourceMapConsumer } from 'source-map-js';

const root = dirname(fileURLToPath(import.meta.url));
const option = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const target = option('--target') ?? 'iife';
if (target !== 'iife' && target !== 'esm') throw new Error(`order-modules.mjs: --target ${target}: use iife or esm`);
const esm = target === 'esm';
const orderFile = join(root, esm ? 'bundle-order-esm.json' : 'bundle-order.json');
const file = join(root, esm ? 'dist/index.js' : 'dist/streamtrace.iife.js');
const entry = join(root, esm ? 'src/index.ts' : 'src/script-tag.ts');
const by = option('--by') ?? 'gzip';
const gz = (text) => gzipSync(text, { level: 9 }).length;
// As bench/lib/compressed.mjs measures it.
const br = (text) => brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(text) } }).length;
const score = { gzip: gz, brotli: br }[by];
if (score === undefined) throw new Error(`order-modules.mjs: --by ${by}: use gzip or brotli`);
const iterations = Number(option('--iterations')) || (esm ? 400 : by === 'gzip' ? 6000 : 600);

// --target esm: the bench's app bundle, built from a copy of dist whose index.js is the candidate.
const bench = esm ? await import('../bench/lib/sdks.mjs') : undefined;
const esbuild = esm ? await import('../bench/node_modules/esbuild/lib/main.js') : undefined;
// Inside the repository, so the copy still resolves `web-vitals` from its node_modules.
if (esm) mkdirSync(join(root, '../.tmp'), { recursive: true });
const scratch = esm ? mkdtempSync(join(root, '../.tmp/order-esm-')) : undefined;
const appOf = async (indexJs) => {
  if (indexJs !== undefined) writeFileSync(join(scratch, 'index.js'), indexJs);
  const result = await esbuild.build({ entryPoints: [bench.OURS_ESM.entry], ...bench.BUNDLE_OPTIONS, alias: { '@streamtrace/web': join(scratch, 'index.js') } });
  return Buffer.from(result.outputFiles[0].contents);
};
const build = async () => {
  execFileSync(process.execPath, [join(root, 'build.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (esm) cpSync(join(root, 'dist'), scratch, { recursive: true });
  const bytes = esm ? await appOf() : readFileSync(file);
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
  // The ESM build is not minified: each module starts on a line of its own (cut there, so a
  // `var`/`function` keyword before the first mapped token stays with its module).
  const ordered = [...first.entries()].sort((a, b) => a[1] - b[1]).map(([source, start]) => [source, esm ? code.lastIndexOf('\n', start - 1) + 1 : start]);
  const modules = ordered.map(([source, start], i) => ({ path: resolve(dirname(file), source), text: code.slice(start, ordered[i + 1]?.[1] ?? code.length) }));
  return { head: code.slice(0, ordered[0][1]), modules };
}

/** The source modules of a built file, in file order (first mapping of each). */
function sourcesOf(path) {
  const consumer = new SourceMapConsumer(JSON.parse(readFileSync(`${path}.map`, 'utf8')));
  const seen = new Set();
  consumer.eachMapping((mapping) => mapping.source !== null && seen.add(resolve(dirname(path), mapping.source)), null, SourceMapConsumer.GENERATED_ORDER);
  return [...seen];
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
const before = await build();
const { head, modules } = modulesOf();
const text = new Map(modules.map((m) => [m.path, m.text]));
const known = new Set(text.keys());
const graph = new Map([...known].map((p) => [p, importsOf(p, known)]));
const size = async (priority) => {
  const joined = head + effectiveOrder([...priority, entry], graph).map((p) => text.get(p) ?? '').join('');
  return score(esm ? await appOf(joined) : joined);
};

const rebuilds = Number(option('--rebuilds')) || 0;
if (rebuilds > 0) {
  if (esm) throw new Error('order-modules.mjs: --rebuilds orders the script tag only');
  const budget = JSON.parse(readFileSync(join(root, '../bench/budget.json'), 'utf8')).files['sdk/dist/streamtrace.iife.js'];
  let order = JSON.parse(readFileSync(orderFile, 'utf8'));
  let current = before;
  let seed = Number(option('--seed')) || 777;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < rebuilds; i++) {
    const next = order.slice();
    next.splice(Math.floor(random() * next.length), 0, ...next.splice(Math.floor(random() * next.length), 1));
    writeFileSync(orderFile, `${JSON.stringify(next, null, 1)}\n`);
    const built = await build();
    if (built.score < current.score && built.gzip <= budget.gzipBytes) {
      order = next;
      current = built;
      process.stderr.write(`step ${i}: ${sizes(built)}\n`);
    }
  }
  writeFileSync(orderFile, `${JSON.stringify(order, null, 1)}\n`);
  await build();
  console.log(`sdk/${basename(orderFile)}: script tag ${sizes(before)} → ${sizes(current)} after ${rebuilds} rebuilds`);
  process.exit(0);
}

const estimate = Number(option('--estimate')) || 0;
if (estimate > 0) {
  let state = 12345;
  const draw = () => (state = (state * 16807) % 2147483647) / 2147483647;
  const base = modules.map((m) => m.path).filter((p) => p !== entry);
  const scores = [];
  for (let k = 0; k < estimate; k++) {
    const order = base.slice();
    for (let j = 0; j < 40; j++) order.splice(Math.floor(draw() * order.length), 0, ...order.splice(Math.floor(draw() * order.length), 1));
    scores.push(await size(order));
  }
  const mean = scores.reduce((a, b) => a + b, 0) / estimate;
  const se = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / (estimate - 1) / estimate);
  console.log(`${esm ? 'app bundling the ESM init' : 'script tag'}: built ${sizes(before)}; ${by} over ${estimate} fixed orders: mean ${mean.toFixed(1)} B (s.e. ${se.toFixed(1)})`);
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  process.exit(0);
}

let best = modules.map((m) => m.path).filter((p) => p !== entry);
let bestSize = await size(best);
process.stderr.write(`built ${sizes(before)}; searching ${iterations} orders of ${best.length} modules by ${by} from ${bestSize} B\n`);
let seed = 20261127;
const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
for (let i = 0; i < iterations; i++) {
  const next = best.slice();
  const [moved] = next.splice(Math.floor(random() * next.length), 1);
  next.splice(Math.floor(random() * next.length), 0, moved);
  const s = await size(next);
  if (s < bestSize) {
    best = next;
    bestSize = s;
  }
}
process.stderr.write(`searched: ${bestSize} B\n`);
const previous = existsSync(orderFile) ? readFileSync(orderFile, 'utf8') : undefined;
// ESM: the modules of the shared chunk(s) go first, in their built order, so that chunk stays as
// it was during the search (otherwise its order follows the first imports of the new order).
const shared = esm ? readdirSync(join(root, 'dist')).filter((f) => /^internal-.*\.js$/.test(f)).flatMap((f) => sourcesOf(join(root, 'dist', f))) : [];
writeFileSync(orderFile, `${JSON.stringify([...shared, ...effectiveOrder(best, graph)].map(key), null, 1)}\n`);
const after = await build();
const what = esm ? 'app bundling the ESM init' : 'script tag';
if (after.score < before.score) console.log(`sdk/${basename(orderFile)}: ${what} ${sizes(before)} → ${sizes(after)}`);
else {
  if (previous === undefined) rmSync(orderFile);
  else writeFileSync(orderFile, previous);
  await build();
  console.log(`no smaller order by ${by} found (${what}: ${sizes(after)}; was ${sizes(before)}); sdk/${basename(orderFile)} unchanged`);
}
if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
