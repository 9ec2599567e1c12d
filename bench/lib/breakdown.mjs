// Where a bundle's minified bytes come from: esbuild metafile inputs grouped by npm package (or by our
// source folder), largest first.
import { build } from 'esbuild';
import { BUNDLE_OPTIONS } from './sdks.mjs';

function owner(path) {
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = path.slice(nm + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const src = path.indexOf('sdk/');
  return src >= 0 ? path.slice(src).split('/').slice(0, 3).join('/') : path;
}

export async function bundleBreakdown(entry) {
  // The same options as the size table, so the breakdown adds up to the bytes it explains.
  const result = await build({ entryPoints: [entry], ...BUNDLE_OPTIONS, metafile: true });
  const output = Object.values(result.metafile.outputs)[0];
  const groups = new Map();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const key = owner(path);
    groups.set(key, (groups.get(key) ?? 0) + bytesInOutput);
  }
  return { total: output.bytes, groups: [...groups.entries()].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes) };
}
