// Builds @streamtrace/web: ESM entries (dependencies external, as npm users bundle them once),
// the all-in-one minified IIFE for <script> tags, then the type declarations; prints sizes.
import { build } from 'vite';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const deps = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];
const external = (id) => deps.some((dep) => id === dep || id.startsWith(`${dep}/`));

rmSync(dist, { recursive: true, force: true });

const common = { configFile: false, root, logLevel: 'warn', publicDir: false };

await build({
  ...common,
  build: {
    outDir: dist,
    emptyOutDir: false,
    target: 'es2022',
    minify: false,
    sourcemap: true,
    lib: {
      entry: { index: join(root, 'src/index.ts'), devtools: join(root, 'src/devtools/index.ts'), zone: join(root, 'src/zone.ts') },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rolldownOptions: { external },
  },
});

await build({
  ...common,
  define: { 'process.env.NODE_ENV': '"production"' },
  build: {
    outDir: dist,
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    sourcemap: true,
    lib: {
      entry: join(root, 'src/script-tag.ts'),
      name: 'Streamtrace',
      formats: ['iife'],
      fileName: () => 'streamtrace.iife.js',
    },
  },
});

execFileSync(process.execPath, [join(root, '../node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log('file                      raw        gzip       brotli');
for (const file of readdirSync(dist).filter((f) => f.endsWith('.js')).sort()) {
  const bytes = readFileSync(join(dist, file));
  const gzip = gzipSync(bytes, { level: 9 }).length;
  const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(`${file.padEnd(24)}  ${kib(bytes.length).padEnd(9)}  ${kib(gzip).padEnd(9)}  ${kib(brotli)}`);
}
