// Preload for traced services: `node --import ./demo-backend/dist/telemetry/register.js <entry>`.
// Only node:module and import-in-the-middle are imported statically, so the ESM hook is in
// place before the SDK (and anything it loads) is evaluated.
import { syncBuiltinESMExports } from 'node:module';
import { registerEsmHook } from './esm-hook.js';

const waitForHooks = registerEsmHook();

const { createTelemetrySdk } = await import('./create-sdk.js');
const { loadRequestIdsProcessor } = await import('./request-ids-processor.js');
const { createPrometheusReader } = await import('./prometheus.js');
const { envInt, envString } = await import('../shared/env.js');

const requestIds = await loadRequestIdsProcessor();
const sdk = createTelemetrySdk({
  serviceName: envString('OTEL_SERVICE_NAME', 'unknown_service:node'),
  otlpEndpoint: envString('OTLP_ENDPOINT', 'http://127.0.0.1:4318'),
  metricIntervalMs: envInt('OTEL_METRIC_EXPORT_INTERVAL', 5000),
  extraProcessors: [requestIds],
  extraMetricReaders: [createPrometheusReader()],
});
sdk.start();
// Named ESM imports of built-ins are snapshots; refresh them after the CJS objects were patched.
syncBuiltinESMExports();
await waitForHooks();

const { onShutdown } = await import('../shared/shutdown.js');
onShutdown(() => sdk.shutdown(), 'telemetry');
