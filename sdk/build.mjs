// Builds @streamtrace/web: ESM entries (dependencies external, as npm users bundle them once),
// the all-in-one minified IIFE for <script> tags, then the type declarations; prints sizes.
import { build } from 'vite';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { minify } from 'rolldown/experimental';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const deps = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];
const external = (id) => deps.some((dep) => id === dep || id.startsWith(`${dep}/`));

// Internal property names both builds shorten (minifiers mangle locals and #private members, not
// plain properties; -0.9 KiB gzip each). Only names of our own objects: never a DOM/ES,
// OpenTelemetry or web-vitals name (checked below), nor anything public (options, Message, stats),
// on the wire (OTLP JSON, sessionStorage record, DevTools messages, vitals attribution keys) or
// looked up by a string (e.g. `onEnding`). A name not listed simply stays as written.
const MANGLED_PROPS = `
  addSample addStream afterCR afterMs appHeaders arrived atArrival atStreamStart attachSocket
  beforeFrame bomSkip bucketCounts
  bufferOptions candidateArrival candidateCommit candidateIndex capacity captureData capturedText
  chunkArrived chunkCount chunkSeries chunkTimeline closedByClient closeSocket
  commitAt commitCursor commitObserver commitsNeeded committedLight contextValues
  conversation dataLength dataParts decide decided delayMs
  displaced doneCursor drain endedAt endNow endRequested endSpan errorForMessage
  eventArriving eventBytes eventDelivered eventQueue eventsDropped eventSizes evictOldest
  explicitTarget fieldIndex finalise finaliseUpTo findSlowestMin finishing
  finishMessage finishTimeline firstArrival firstByteAt firstPaint firstResponse firstUsed
  firstVisibleArrival firstVisibleIndex flushCommits gapMax hasPending
  heldSize inactivityMs initialBackoffMs inValue isData
  isHidden keepSample lastArrival lastBucket lastEvent lastValue latencyHist
  lightOnly lineIsData lineLength lineParts lineStart longFrame longFrames longFramesMax
  longFramesTotal maxAgeMs maxBatch maxEvents maxMs maxPending
  messageDeps messageFor messageId messageStreams
  needsCommits newId nextTargetCheck offerSample onEnded onEvent
  onEvents onFirstPaint onPromote onSettled openedAt openStream
  openStreams originals outcome ownSpanContext painted paintedLight paintUpTo peek pendingTarget
  pendingTraces promote promoteAfter promoteOnGapMs
  quantile queuedCount queuedForFrame randomUnit
  rateNow reconnectPending reconnects recordsUnsampled refreshMs
  requestPaint resolveSettled ringArrival ringBytes
  ringCap ringCommit ringPaint ringSource sampleCount
  sampleNext sampleSeen sampleStart sampleTotal sampleW sawData scan scheduler
  selectChunk selectedEvents sendNow sessionIdOf settle settledOnce
  settleNow settlers settleTimer skipCount slots slowestCount slowestMinLatency
  slowestMinSlot slowestUsed spanHooks spanProcessors stallCount stallMs
  stallStart stallTotal stallUsed streamEnded streamEvent
  streamReconnecting streamRuntime streamSettled streamUrl takeData takeSpan timedType
  timelineOptions timeoutMs totalBytes ttft ttftVisible unsettledStreams
  valueStart visibleSince wrappedStream wrappers writeAggregates writeSlot
  addEntry frameStarted watchTarget
  offsetMs presentationWatch
  recordProbe unmark
  socketClosed messageEvent pulled
`.trim().split(/\s+/);

/** Fails the build if a listed name is also a name the host or a bundled dependency uses. */
function checkMangledProps() {
  const sources = [];
  const lib = join(root, '../node_modules/typescript/lib');
  for (const f of readdirSync(lib)) if (/^lib\.(dom|es\d+|esnext|webworker)[\w.]*\.d\.ts$/.test(f)) sources.push(join(lib, f));
  const walk = (dir) => { for (const e of readdirSync(dir, { withFileTypes: true })) e.isDirectory() ? walk(join(dir, e.name)) : /\.(d\.ts|js)$/.test(e.name) && sources.push(join(dir, e.name)); };
  for (const dep of ['@opentelemetry/api/build/esm', '@opentelemetry/api/build/esnext', '@opentelemetry/sdk-trace-base/build/src', 'web-vitals/dist']) walk(join(root, '../node_modules', dep));
  const foreign = new Set(sources.flatMap((f) => readFileSync(f, 'utf8').match(/[A-Za-z_$][\w$]*/g) ?? []));
  const clashes = MANGLED_PROPS.filter((name) => foreign.has(name));
  if (clashes.length > 0) throw new Error(`sdk/build.mjs: MANGLED_PROPS must not list host/dependency names: ${clashes.join(', ')}`);
}
checkMangledProps();
const mangledPropsRegExp = new RegExp(`^(${MANGLED_PROPS.join('|')})$`);

/**
 * The ESM build stays unminified (no compression or renaming of locals, whitespace kept; comments
 * go, the source maps keep them) but gets the same property mangling, one chunk after the other
 * with a shared cache so every chunk agrees on the names. (`#private` fields would do this without
 * a list, but bundlers targeting es2020 lower them to WeakMap helpers: +0.85 KiB for such apps.)
 */
function mangleEsmProps() {
  let cache = {};
  let previous = Promise.resolve();
  return {
    name: 'streamtrace-mangle-esm-props',
    renderChunk(code, chunk) {
      const done = previous.then(async () => {
        const result = await minify(chunk.fileName, code, {
          compress: false,
          mangle: false,
          codegen: { removeWhitespace: false },
          mangleProps: { include: mangledPropsRegExp, cache },
          sourcemap: true,
        });
        if (result.errors.length > 0) throw new Error(`sdk/build.mjs: ${chunk.fileName}: ${result.errors.map((e) => e.message).join('; ')}`);
        cache = result.mangleCache ?? cache;
        return { code: result.code, map: result.map };
      });
      previous = done.catch(() => undefined);
      return done;
    },
  };
}

// Our sources name OpenTelemetry's enum members (`SpanKind.CLIENT`); both builds write the member's
// value instead (read from the packages here), so the enum objects are not bundled (-0.2 KiB gzip).
const ENUMS = { SpanKind, SpanStatusCode, TraceFlags, SamplingDecision };
const inlineEnums = {
  name: 'streamtrace-inline-otel-enums',
  transform: {
    filter: { id: /\/sdk\/src\/.*\.ts$/ },
    handler(code) {
      const out = code.replace(/\b(SpanKind|SpanStatusCode|TraceFlags|SamplingDecision)\.([A-Z_]+)\b/g, (match, name, member) => {
        const value = ENUMS[name][member];
        if (typeof value !== 'number') throw new Error(`sdk/build.mjs: unknown enum member ${match}`);
        return String(value);
      });
      return out === code ? undefined : { code: out, map: null };
    },
  },
};

// Both builds bundle sdk/src/api-lite.ts in place of @opentelemetry/api: the few functions our
// sources use, on the same global registry as the app's copy (-1.8 KiB gzip on the script tag,
// -2.3 KiB on an app bundling the ESM `init`). Only the opt-in zone entry imports the package (it
// registers a context manager through it).
const apiLite = join(root, 'src/api-lite.ts');
const zoneEntry = join(root, 'src/zone.ts');
const useApiLite = {
  name: 'streamtrace-api-lite',
  enforce: 'pre',
  resolveId: {
    filter: { id: /^@opentelemetry\/api$/ },
    handler(source, importer) {
      return importer === apiLite || importer === zoneEntry || !importer?.startsWith(join(root, 'src')) ? undefined : apiLite;
    },
  },
};

// Module order: sdk/bundle-order.json for the script tag and sdk/bundle-order-esm.json for the ESM
// `index` entry (written by `node order-modules.mjs [--target esm]`, which measures them; the ESM
// entry falls back to the script tag's order) are imported first by the entry, so modules sit in
// that order (each still after what it imports). gzip only finds repeats within 32 KiB, so the
// order changes the gzip size (-0.5 KiB on the script tag, -0.2 KiB on an app bundling the ESM
// `init`). The ESM entry takes only our own modules, minus the other entries. Names that no
// longer exist are skipped; modules not listed go where their importers put them.
const scriptTag = join(root, 'src/script-tag.ts');
const esmIndex = join(root, 'src/index.ts');
const otherEntries = new Set(['src/script-tag.ts', 'src/devtools/index.ts', 'src/zone.ts', 'src/gzip.ts', 'src/export/gzip.ts', 'src/sampling-rule.ts', 'src/sampling/remote-rule.ts', 'src/sampling/rule.ts']);
const moduleOrder = {
  name: 'streamtrace-module-order',
  transform: {
    filter: { id: /\/sdk\/src\/(script-tag|index)\.ts$/ },
    handler(code, id) {
      if (id !== scriptTag && id !== esmIndex) return undefined;
      const esmOrder = join(root, 'bundle-order-esm.json');
      const file = id === esmIndex && existsSync(esmOrder) ? esmOrder : join(root, 'bundle-order.json');
      const wanted = JSON.parse(readFileSync(file, 'utf8')).filter((m) => id === scriptTag || (m.startsWith('src/') && !otherEntries.has(m)));
      const imports = wanted.filter((m) => m.startsWith('src/') ? existsSync(join(root, m)) : existsSync(join(root, '../node_modules', m)));
      // On the file's first line (an import): the source map stays right for every line.
      return { code: imports.map((m) => `import ${JSON.stringify(m.startsWith('src/') ? join(root, m) : m)};`).join('') + code, map: null };
    },
  },
};

rmSync(dist, { recursive: true, force: true });

const common = { configFile: false, root, logLevel: 'warn', publicDir: false, plugins: [inlineEnums] };

await build({
  ...common,
  plugins: [inlineEnums, useApiLite, moduleOrder, mangleEsmProps()],
  build: {
    outDir: dist,
    emptyOutDir: false,
    target: 'es2022',
    minify: false,
    sourcemap: true,
    lib: {
      entry: { index: join(root, 'src/index.ts'), devtools: join(root, 'src/devtools/index.ts'), zone: join(root, 'src/zone.ts'), gzip: join(root, 'src/gzip.ts'), 'sampling-rule': join(root, 'src/sampling-rule.ts') },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    // sdk-trace-base is imported for types and enum members only (inlined above): no bare import left.
    rolldownOptions: { optimization: { inlineConst: { mode: 'all', pass: 2 } }, external: (id, importer) => (id === '@opentelemetry/api' && importer !== zoneEntry ? false : external(id)), treeshake: { moduleSideEffects: (id, isExternal) => !(isExternal && id === '@opentelemetry/sdk-trace-base') } },
  },
});

await build({
  ...common,
  plugins: [inlineEnums, useApiLite, moduleOrder],
  define: { 'process.env.NODE_ENV': '"production"' },
  // Packages' ES2017+ builds (`esnext`, browser platform files), without ES5 helpers, where they
  // have one (any enum the inlining above missed comes from @opentelemetry/api's esnext build).
  resolve: { conditions: ['esnext', 'browser', 'production'], mainFields: ['browser', 'esnext', 'module'] },
  build: {
    outDir: dist,
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    sourcemap: true,
    // `symbols: false`: the global `Streamtrace` is a plain object, without the module namespace's
    // Symbol.toStringTag 'Module' (-20 B gzip; `String(Streamtrace)` is then "[object Object]").
    // `banner`: V8's explicit compile hint (Chromium 136+): every function is compiled eagerly, off
    // the main thread while the script streams in, instead of lazily on its first call. On the
    // chunk-overhead bench that is ~21 ms less SDK main-thread time per page (docs/performance.md § 1).
    rolldownOptions: {
      optimization: { inlineConst: { mode: 'all', pass: 2 } },
      output: { postBanner: '//# allFunctionsCalledOnLoad', generatedCode: { symbols: false }, minify: { mangleProps: { include: mangledPropsRegExp } } },
    },
    lib: {
      entry: join(root, 'src/script-tag.ts'),
      name: 'Streamtrace',
      formats: ['iife'],
      fileName: () => 'streamtrace.iife.js',
    },
  },
});

/**
 * A second minifier pass over the script tag, after oxc: terser's compressor (passes 3; it inlines
 * single-use functions and folds what oxc leaves) is -0.3 KiB gzip and -0.4 KiB brotli on this file
 * with the module order searched again (docs/performance.md § 2; SWC instead: -0.1/-0.2 KiB; a third
 * pass: -37 B more).
 * Default options only: terser's `unsafe` would turn `String(x)` into `"" + x` (throws for a Symbol),
 * `pure_getters` would drop or move reads of app objects' getters; not `toplevel` (the global
 * `Streamtrace` must stay). Property names stay as oxc mangled them (terser renames locals only).
 * The compile hint stays the first line; the source map is composed with rolldown's, so it still
 * maps to sdk/src. `terser` is a devDependency; STREAMTRACE_TERSER=<path to terser's main.js>
 * loads another copy.
 */
async function terserPass(file) {
  let terser;
  try {
    terser = await import(process.env.STREAMTRACE_TERSER ?? 'terser');
  } catch (error) {
    throw new Error(`sdk/build.mjs: terser is needed for the script tag (npm i -D terser -w sdk): ${error.message}`);
  }
  const path = join(dist, file);
  const code = readFileSync(path, 'utf8');
  const hint = code.slice(0, code.indexOf('\n'));
  if (hint !== '//# allFunctionsCalledOnLoad') throw new Error(`sdk/build.mjs: ${file} does not start with the compile hint`);
  const result = await terser.minify(code, {
    ecma: 2020,
    module: false,
    toplevel: false,
    compress: { passes: 3 },
    mangle: true,
    format: { comments: false, preamble: hint },
    sourceMap: { content: readFileSync(`${path}.map`, 'utf8'), url: `${file}.map`, includeSources: true },
  });
  writeFileSync(path, result.code);
  writeFileSync(`${path}.map`, result.map);
}
await terserPass('streamtrace.iife.js');

execFileSync(process.execPath, [join(root, '../node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log('file                      raw        gzip       brotli');
for (const file of readdirSync(dist).filter((f) => f.endsWith('.js')).sort()) {
  const bytes = readFileSync(join(dist, file));
  const gzip = gzipSync(bytes, { level: 9 }).length;
  const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(`${file.padEnd(24)}  ${kib(bytes.length).padEnd(9)}  ${kib(gzip).padEnd(9)}  ${kib(brotli)}`);
}
