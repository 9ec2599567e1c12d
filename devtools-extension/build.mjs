// Builds the panel twice: as an unpacked MV3 extension (dist/extension) and as the standalone
// page the dev collector serves at `/` (dist/standalone). Usage: node build.mjs
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = dirname(fileURLToPath(import.meta.url));
/** Where the collector embeds the message list (src/entries/embedded-listing.ts, EMBEDDED_LISTING_MARKER). */
const LISTING_MARKER = '<!--streamtrace:listing-->';
/** Marks the preload of the panel's module, which the early script starts (src/entries/panel-module.ts). */
const PANEL_MODULE_ATTRIBUTE = 'data-streamtrace-module';
const pages = resolve(root, 'pages');
const extensionDir = resolve(root, 'dist/extension');
const standaloneDir = resolve(root, 'dist/standalone');
const pkg = JSON.parse(await (await import('node:fs/promises')).readFile(resolve(root, 'package.json'), 'utf8'));

const common = {
  configFile: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  define: { 'process.env.NODE_ENV': '"production"' },
};

/** Content scripts cannot be modules and the worker stays simplest as a classic script: one IIFE each. */
async function buildScript(entry, outDir, fileName) {
  await build({
    ...common,
    root,
    build: {
      outDir,
      emptyOutDir: false,
      target: 'chrome120',
      minify: true,
      sourcemap: false,
      copyPublicDir: false,
      lib: { entry: resolve(root, entry), formats: ['iife'], name: fileName.replace(/\W/g, '_'), fileName: () => fileName },
    },
  });
}

async function buildPages(input, outDir, base) {
  await build({
    ...common,
    root: pages,
    base,
    build: {
      outDir,
      emptyOutDir: false,
      target: 'chrome120',
      minify: true,
      sourcemap: false,
      modulePreload: { polyfill: false },
      rolldownOptions: {
        input: Object.fromEntries(input.map((name) => [name, resolve(pages, `${name}.html`)])),
        output: { entryFileNames: '[name].js', chunkFileNames: 'assets/[name]-[hash].js', assetFileNames: 'assets/[name]-[hash][extname]' },
      },
    },
  });
}

/**
 * The standalone page's inline classic script (src/entries/standalone-early.ts), last in its body,
 * after #app: it runs while the module downloads and compiles, reads the message list the collector
 * embedded where the page marks it (src/entries/embedded-listing.ts), else requests it, and draws
 * the panel's first frame from it; the module then takes the list and that frame over.
 */
async function inlineEarlyScript(dir, page) {
  const scratch = resolve(root, 'dist/.early');
  await buildScript('src/entries/standalone-early.ts', scratch, 'early.js');
  const code = (await readFile(resolve(scratch, 'early.js'), 'utf8')).trim();
  await rm(scratch, { recursive: true, force: true });
  if (/<\/script/i.test(code)) throw new Error('the early script contains </script');
  // ASCII only (its few other characters sit in string literals, where \uXXXX means the same): the
  // page, half a megabyte with the collector's list in it, then decodes as 8-bit text.
  const ascii = code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  new vm.Script(ascii);
  const file = resolve(dir, page);
  // The panel's module is only preloaded by the HTML: the early script starts it once the first
  // frame has been drawn (or at once when it draws none), so its evaluation never comes between
  // the drawn list and that frame.
  const module = /<script type="module" crossorigin src="([^"]+)"><\/script>/;
  const html = (await readFile(file, 'utf8')).replace(module, (_, src) => `<link rel="modulepreload" crossorigin href="${src}" ${PANEL_MODULE_ATTRIBUTE}>`);
  if (!html.includes(PANEL_MODULE_ATTRIBUTE)) throw new Error(`${page} has no module script`);
  const at = html.lastIndexOf('</body>');
  if (at < 0) throw new Error(`${page} has no </body>`);
  await writeFile(file, `${html.slice(0, at)}  ${LISTING_MARKER}\n    <script>${ascii}</script>\n  ${html.slice(at)}`);
}

const manifest = {
  manifest_version: 3,
  name: 'Streamtrace DevTools',
  version: pkg.version,
  description: 'Traces of LLM chat messages: spans from page to model, chunk timelines, time-to-first-token breakdown.',
  minimum_chrome_version: '120',
  devtools_page: 'devtools.html',
  background: { service_worker: 'background.js' },
  // storage: the per-tab buffer in chrome.storage.session, so a stopped worker loses nothing.
  permissions: ['storage'],
  // Backend lookups from the panel go to the local dev collector / Jaeger / Tempo without CORS;
  // other query endpoints can be granted at runtime.
  host_permissions: ['http://127.0.0.1/*', 'http://localhost/*'],
  optional_host_permissions: ['http://*/*', 'https://*/*'],
  content_scripts: [
    {
      // Local development pages only: the bridge announces itself to the page, and there is no
      // reason to do that on every site the user visits.
      matches: ['http://localhost/*', 'http://127.0.0.1/*', 'https://localhost/*', 'https://127.0.0.1/*'],
      js: ['content.js'],
      run_at: 'document_start',
      all_frames: false,
    },
  ],
  content_security_policy: { extension_pages: "script-src 'self'; object-src 'self'" },
};

await rm(resolve(root, 'dist/extension'), { recursive: true, force: true });
await rm(resolve(root, 'dist/standalone'), { recursive: true, force: true });
await mkdir(extensionDir, { recursive: true });
await buildPages(['panel', 'devtools'], extensionDir, './');
await buildScript('src/entries/content.ts', extensionDir, 'content.js');
await buildScript('src/entries/background.ts', extensionDir, 'background.js');
await writeFile(resolve(extensionDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
await buildPages(['index'], standaloneDir, './');
await inlineEarlyScript(standaloneDir, 'index.html');
console.log(`built ${extensionDir} and ${standaloneDir}`);
