// Builds the demo chat page into web/dist with Vite's JS API (run by `npm run build -w demo-backend`).
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

await build({
  root,
  configFile: false,
  logLevel: 'warn',
  base: '/',
  // Vite 8 transforms TS/JSX with Oxc; Preact's automatic runtime replaces @preact/preset-vite.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: false,
  },
});
