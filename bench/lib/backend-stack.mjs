// Child processes for bench/backend.mjs, all on free ports: the dev collector, the bench upstream
// (backend-upstream.mjs) and, per tracing mode, a vector-store + chat-gateway pair.
// Modes: `off` (no register.js preload: no SDK at all; named chat-gateway-off so stray spans
// would show), `on` (the documented `--import register.js` start), `on-all` / `on-none` (traced,
// with a `stream.delta` event for every delta / for none, via backend-delta-hook.mjs).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEMO = join(ROOT, 'demo-backend');
const DIST = join(DEMO, 'dist');
const REGISTER = join(DIST, 'telemetry', 'register.js');
const DELTA_HOOK = fileURLToPath(new URL('./backend-delta-hook.mjs', import.meta.url));
const UPSTREAM = fileURLToPath(new URL('./backend-upstream.mjs', import.meta.url));

export const MODES = ['off', 'on', 'on-all', 'on-none'];

/**
 * Node flags, extra env and gateway entry per mode. `<mode>@<dist dir>` runs the gateway of another
 * build (e.g. a copy of an older commit's demo-backend/dist) in that mode, for a same-run A/B.
 */
function modeLaunch(spec) {
  const [mode, dist] = spec.split('@');
  const gatewayMain = join(dist ?? DIST, 'gateway', 'main.js');
  if (!existsSync(gatewayMain)) throw new Error(`${gatewayMain} is missing`);
  return { ...modeFlags(mode), gatewayMain };
}

function modeFlags(mode) {
  switch (mode) {
    case 'off':
      return { preload: [], env: {}, suffix: '-off' };
    case 'on':
      return { preload: ['--import', REGISTER], env: {}, suffix: '' };
    case 'on-all':
    case 'on-none':
      return { preload: ['--import', DELTA_HOOK, '--import', REGISTER], env: { BENCH_DELTA_EVENTS: mode.slice(3) }, suffix: '' };
    default:
      throw new Error(`unknown mode ${mode}; modes: ${MODES.join(', ')}`);
  }
}

export function backendBuilt() {
  return existsSync(join(DIST, 'gateway', 'main.js')) && existsSync(join(ROOT, 'server', 'dist', 'index.js'));
}

/**
 * Starts everything; resolves `{ collector, upstream, gateways: { [mode]: { url, pid } }, stop }`.
 * `tokens` is the answer length of the upstream; `gatewayArgs` are extra node flags for the
 * gateways (e.g. `--cpu-prof`).
 */
export async function startBackend({ modes, tokens, gatewayArgs = [], log = () => {} }) {
  if (!backendBuilt()) throw new Error('build first: npm run build -w server && npm run build -w demo-backend');
  const { spawnService } = await import(join(DIST, 'stack', 'spawn-service.js'));
  const running = [];
  const base = { cwd: DEMO, readyTimeoutMs: 30_000, log };
  const start = async (options) => {
    const service = await spawnService({ ...base, ...options });
    running.push(service);
    return service;
  };
  const stop = async () => {
    const collector = running[0];
    await Promise.all(running.slice(1).reverse().map((s) => s.stop()));
    await collector?.stop();
  };
  try {
    const collector = await start({ name: 'streamtrace-collector', args: [join(DIST, 'collector', 'main.js')], env: { COLLECTOR_PORT: '0' } });
    const upstream = await start({ name: 'bench-upstream', args: [UPSTREAM], env: { UPSTREAM_TOKENS: String(tokens) } });
    const gateways = {};
    // One mode at a time: starting eight traced processes at once on two cores times out.
    for (const mode of modes) {
      const { preload, env, suffix, gatewayMain } = modeLaunch(mode);
      const common = { ...env, OTLP_ENDPOINT: collector.url };
      const vector = await start({
        name: 'vector-store',
        args: [...preload, join(DIST, 'retrieval', 'main.js')],
        env: { ...common, OTEL_SERVICE_NAME: `vector-store${suffix}`, VECTOR_STORE_PORT: '0' },
      });
      const gateway = await start({
        name: 'chat-gateway',
        args: [...gatewayArgs, ...preload, gatewayMain],
        env: { ...common, OTEL_SERVICE_NAME: `chat-gateway${suffix}`, GATEWAY_PORT: '0', VECTOR_STORE_URL: vector.url, MODEL_URL: upstream.url, MODEL_TRANSPORT: 'http' },
      });
      gateways[mode] = { url: gateway.url, pid: gateway.child.pid, serviceName: `chat-gateway${suffix}` };
    }
    return { collector: collector.url, upstream: upstream.url, gateways, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
