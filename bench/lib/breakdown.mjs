// Where a bundle's minified bytes come from: esbuild metafile inputs grouped by npm package (or by our
// source folder), largest first.
import { build } from 'esbuild';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
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

/** The script tag's own sources (sdk/src/script-tag.ts) bundled as sdk/build.mjs ships them (es2022).
 * esbuild, not Vite's minifier, so the total is a little above the shipped file; the shares hold. */
export const SCRIPT_TAG_SOURCES = {
  entry: join(repoDir, 'sdk', 'src', 'script-tag.ts'),
  options: { target: 'es2022' },
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

const VLQ = new Map([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]));

/** Source index of every character of the generated code (-1 where no mapping covers it), from a source map. */
function charSources(code, mappings) {
  const owners = new Int32Array(code.length).fill(-1);
  const lineStarts = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === '\n') lineStarts.push(i + 1);
  let source = 0;
  mappings.split(';').forEach((line, lineNo) => {
    let col = 0;
    const segments = [];
    for (const segment of line.split(',')) {
      if (segment === '') continue;
      const fields = [];
      let value = 0;
      let shift = 0;
      for (const c of segment) {
        const digit = VLQ.get(c);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      col += fields[0];
      if (fields.length >= 4) source += fields[1];
      segments.push([col, fields.length >= 4 ? source : -1]);
    }
    const start = lineStarts[lineNo] ?? code.length;
    const end = lineStarts[lineNo + 1] ?? code.length;
    segments.forEach(([c, s], i) => owners.fill(s, start + c, Math.min(end, start + (segments[i + 1]?.[0] ?? end - start))));
  });
  return owners;
}

/**
 * Gzip (-9) bytes each package / our folder costs: the gzip size of the whole bundle minus the gzip
 * size of the bundle without that group's characters (found through the source map), scaled so the
 * groups add up to the whole. Shared strings compress across groups, so this is a marginal cost.
 */
export async function gzipBreakdown(entry, options = {}, group = owner) {
  const result = await build({ entryPoints: [entry], ...BUNDLE_OPTIONS, ...options, sourcemap: 'external', outfile: join(repoDir, '.size-probe.js') });
  const code = result.outputFiles.find((f) => f.path.endsWith('.js')).text;
  const map = JSON.parse(result.outputFiles.find((f) => f.path.endsWith('.map')).text);
  const owners = charSources(code, map.mappings);
  const groupOf = map.sources.map(group);
  const names = [...new Set(groupOf), '(bundler glue)'];
  const gz = (text) => gzipSync(Buffer.from(text), { level: 9 }).length;
  const total = gz(code);
  const marginal = names.map((name) => {
    let kept = '';
    for (let i = 0; i < code.length; i++) {
      const g = owners[i] < 0 ? '(bundler glue)' : groupOf[owners[i]];
      if (g !== name) kept += code[i];
    }
    return { name, bytes: total - gz(kept) };
  });
  const sum = marginal.reduce((a, g) => a + Math.max(0, g.bytes), 0);
  return { total, groups: marginal.map((g) => ({ name: g.name, bytes: Math.round((Math.max(0, g.bytes) * total) / sum) })).sort((a, b) => b.bytes - a.bytes) };
}
