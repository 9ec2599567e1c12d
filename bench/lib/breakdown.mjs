// Where a bundle's minified bytes come from: esbuild metafile inputs grouped by npm package (or by our
// source folder), largest first.
import { build } from 'esbuild';
import { join } from 'node:path';
import { BUNDLE_OPTIONS, repoDir } from './sdks.mjs';

function owner(path) {
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = path.slice(nm + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const src = path.indexOf('sdk/');
  return src >= 0 ? path.slice(src).split('/').slice(0, 3).join('/') : path;
}

/**
 * The script tag's own sources (sdk/src/script-tag.ts) bundled as sdk/build.mjs ships them: es2022,
 * and `@opentelemetry/api` imported by our code resolved to sdk/src/export/api-slice.ts. esbuild,
 * not Vite's minifier, so the total is a little above the shipped file; the shares hold.
 */
export const SCRIPT_TAG_SOURCES = {
  entry: join(repoDir, 'sdk', 'src', 'script-tag.ts'),
  options: {
    target: 'es2022',
    plugins: [
      {
        name: 'api-slice',
        setup(b) {
          b.onResolve({ filter: /^@opentelemetry\/api$/ }, (args) =>
            args.importer.startsWith(join(repoDir, 'sdk', 'src')) ? { path: join(repoDir, 'sdk', 'src', 'export', 'api-slice.ts') } : undefined,
          );
        },
      },
    ],
  },
};

export async function bundleBreakdown(entry, options = {}) {
  // The same options as the size table, so the breakdown adds up to the bytes it explains.
  const result = await build({ entryPoints: [entry], ...BUNDLE_OPTIONS, ...options, metafile: true });
  const output = Object.values(result.metafile.outputs)[0];
  const groups = new Map();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const key = owner(path);
    groups.set(key, (groups.get(key) ?? 0) + bytesInOutput);
  }
  return { total: output.bytes, groups: [...groups.entries()].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes) };
}
