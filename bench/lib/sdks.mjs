// The SDKs under test and how each becomes the browser script(s) users would ship.
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const repoDir = join(benchDir, '..');
export const sdkDist = join(repoDir, 'sdk', 'dist');
export const oursIife = join(sdkDist, 'streamtrace.iife.js');
const quickstart = (name) => join(benchDir, 'quickstarts', name);

/** Every competitor quick start, bundled like a production app would bundle it. */
export const COMPETITORS = [
  { id: 'otel-web', label: 'OpenTelemetry web + fetch instrumentation', entry: quickstart('otel-web.js') },
  { id: 'honeycomb', label: 'Honeycomb web', entry: quickstart('honeycomb.js') },
  { id: 'faro', label: 'Grafana Faro + tracing', entry: quickstart('faro.js') },
  { id: 'sentry', label: 'Sentry browser + tracing', entry: quickstart('sentry.js') },
  { id: 'datadog', label: 'Datadog RUM', entry: quickstart('datadog.js') },
];
/** The floor of any per-chunk timer on the same page (bench/quickstarts/floor.js): interception alone, then plus one stored timestamp per chunk, then plus a DOM commit check per chunk. */
export const FLOORS = [
  { id: 'floor-intercept', label: 'floor: interception only', entry: quickstart('floor-intercept.js') },
  { id: 'floor-timestamp', label: 'floor: interception + timeStamp per chunk', entry: quickstart('floor-timestamp.js') },
  { id: 'floor-commit', label: 'floor: + DOM commit check per chunk', entry: quickstart('floor-commit.js') },
];
export const OTEL_EQUIVALENT = { id: 'otel-web-vitals', label: 'OpenTelemetry web + fetch + XHR instrumentation + web-vitals', entry: quickstart('otel-web-vitals.js') };
export const OTEL_CORE = { id: 'otel-core', label: 'OpenTelemetry provider + OTLP exporter alone', entry: quickstart('otel-core.js') };
export const OURS_ESM = { id: 'streamtrace-esm', label: 'Streamtrace (ESM init, bundled)', entry: quickstart('streamtrace-esm.js') };

export function oursBuilt() {
  return existsSync(oursIife) && existsSync(join(sdkDist, 'index.js'));
}

/** esbuild options of every size measurement: bundle, minify, browser, IIFE (nothing written). */
export const BUNDLE_OPTIONS = {
  bundle: true,
  minify: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2020',
  write: false,
  logLevel: 'silent',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
  absWorkingDir: benchDir,
};

/** Bundles `entry` with BUNDLE_OPTIONS; returns the code as a Buffer. */
export async function bundle(entry) {
  const result = await build({ entryPoints: [entry], ...BUNDLE_OPTIONS });
  return Buffer.from(result.outputFiles[0].contents);
}

/**
 * Browser scripts per SDK id, each its own file so the profiler can attribute self time to it.
 * `files` are served under /sdk/<id>/<name>; every one of them counts as the SDK's time.
 */
export async function browserScripts(ids) {
  const out = new Map();
  for (const id of ids) {
    if (id === 'none') out.set(id, { label: 'no SDK (app only)', files: [] });
    else if (id === 'streamtrace' || id === 'streamtrace-gzip') {
      // `streamtrace-gzip`: the same quick start with `compression: 'gzip'` (export-efficiency.mjs).
      const init = readFileSync(quickstart('streamtrace-init.js'), 'utf8');
      out.set(id, {
        label: id === 'streamtrace' ? 'Streamtrace (IIFE as shipped)' : 'Streamtrace, compression: gzip',
        files: [
          { name: 'streamtrace.iife.js', body: readFileSync(oursIife), map: readFileSync(`${oursIife}.map`, 'utf8') },
          { name: 'streamtrace-init.js', body: Buffer.from(id === 'streamtrace' ? init : init.replace('propagateTo: [location.origin],', "propagateTo: [location.origin],\n  compression: 'gzip',")) },
        ],
      });
    } else {
      const sdk = [...COMPETITORS, ...FLOORS, OTEL_CORE].find((s) => s.id === id);
      if (sdk === undefined) throw new Error(`unknown SDK ${id}`);
      out.set(id, { label: sdk.label, files: [{ name: `${id}.js`, body: await bundle(sdk.entry) }] });
    }
  }
  return out;
}
