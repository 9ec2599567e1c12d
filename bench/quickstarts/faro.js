// Grafana Faro quick start with tracing: web instrumentations + TracingInstrumentation.
import { initializeFaro, getWebInstrumentations } from '@grafana/faro-web-sdk';
import { TracingInstrumentation } from '@grafana/faro-web-tracing';

initializeFaro({
  url: `${location.origin}/sink/faro`,
  app: { name: 'bench', version: '1.0.0', environment: 'bench' },
  instrumentations: [...getWebInstrumentations(), new TracingInstrumentation()],
});
