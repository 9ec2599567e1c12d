// `node --import ./bench/lib/backend-delta-hook.mjs …`: lets bench/backend.mjs choose the gateway's
// per-delta span events (BENCH_DELTA_EVENTS=all|none) without a gateway setting for it. The
// gateway's `import … from '@streamtrace/node'` resolves to backend-delta-wrap.mjs, which passes
// `deltaEvents` to the real `startStreamSpan`; everything else is the real package.
import { register } from 'node:module';

register(new URL('./backend-delta-resolve.mjs', import.meta.url));
