// Where a bundle's minified bytes come from: esbuild metafile inputs grouped by npm package (or by our
// source folder), largest first.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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
 * `bytes` is each group's share of the minified characters.
 */
export function gzipBreakdownOf(code, map, group = owner) {
  const owners = charSources(code, map.mappings);
  const groupOf = map.sources.map(group);
  const names = [...new Set(groupOf), '(bundler glue)'];
  const gz = (text) => gzipSync(Buffer.from(text), { level: 9 }).length;
  const total = gz(code);
  const minified = new Map(names.map((name) => [name, 0]));
  for (let i = 0; i < code.length; i++) {
    const g = owners[i] < 0 ? '(bundler glue)' : groupOf[owners[i]];
    minified.set(g, minified.get(g) + 1);
  }
  const marginal = names.map((name) => {
    let kept = '';
    for (let i = 0; i < code.length; i++) {
      const g = owners[i] < 0 ? '(bundler glue)' : groupOf[owners[i]];
      if (g !== name) kept += code[i];
    }
    return { name, gzip: total - gz(kept) };
  });
  const sum = marginal.reduce((a, g) => a + Math.max(0, g.gzip), 0);
  return {
    total,
    groups: marginal
      .map((g) => ({ name: g.name, bytes: Math.round((Math.max(0, g.gzip) * total) / sum), minBytes: minified.get(g.name) }))
      .sort((a, b) => b.bytes - a.bytes),
  };
}

export async function gzipBreakdown(entry, options = {}, group = owner) {
  const result = await build({ entryPoints: [entry], ...BUNDLE_OPTIONS, ...options, sourcemap: 'external', outfile: join(repoDir, '.size-probe.js') });
  const code = result.outputFiles.find((f) => f.path.endsWith('.js')).text;
  const map = JSON.parse(result.outputFiles.find((f) => f.path.endsWith('.map')).text);
  return gzipBreakdownOf(code, map, group);
}

/** The same breakdown for a shipped file and its `.map` (sources resolved against the map's folder). */
export function shippedGzipBreakdown(file, group = owner) {
  const code = readFileSync(file, 'utf8');
  const map = JSON.parse(readFileSync(`${file}.map`, 'utf8'));
  map.sources = map.sources.map((source) => resolve(dirname(file), map.sourceRoot ?? '', source));
  return gzipBreakdownOf(code, map, group);
}
