// Builds the script-tag bundle elsewhere, for profiling and A/B cost runs:
//   node sdk/scripts/build-profiling.mjs <outDir> [--minify] [--src <dir containing src/>]
// then SDK_FILE=<outDir>/streamtrace.iife.js[,<other build>] TOP=lines node sdk/scripts/measure-cost.mjs
import { build } from 'vite';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args.splice(i, name === '--minify' ? 1 : 2)[1] ?? true;
};
const minify = flag('--minify') === true;
const sdkRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(flag('--src') ?? sdkRoot);
const outDir = resolve(args[0] ?? join(sdkRoot, '../.tmp/prof'));
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
    minify,
    sourcemap: true,
    lib: { entry: join(root, 'src/script-tag.ts'), name: 'Streamtrace', formats: ['iife'], fileName: () => 'streamtrace.iife.js' },
  },
});
console.log(join(outDir, 'streamtrace.iife.js'));
