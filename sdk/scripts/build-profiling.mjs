// A non-minified build of the script-tag bundle, for reading profiles line by line:
// node sdk/scripts/build-profiling.mjs [outDir] then SDK_FILE=<outDir>/streamtrace.iife.js TOP=1 node sdk/scripts/measure-cost.mjs
import { build } from 'vite';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(process.argv[2] ?? join(root, '../.tmp/prof'));
await build({
  configFile: false,
  root,
  logLevel: 'warn',
  publicDir: false,
  define: { 'process.env.NODE_ENV': '"production"' },
  build: {
    outDir,
    emptyOutDir: false,
    target: 'es2020',
    minify: false,
    sourcemap: true,
    lib: { entry: join(root, 'src/script-tag.ts'), name: 'Streamtrace', formats: ['iife'], fileName: () => 'streamtrace.iife.js' },
  },
});
console.log(join(outDir, 'streamtrace.iife.js'));
