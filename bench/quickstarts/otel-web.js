// OpenTelemetry web quick start: tracer provider, OTLP/HTTP exporter, fetch instrumentation.
import { WebTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-web';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';

const provider = new WebTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'bench' }),
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${location.origin}/v1/traces` }))],
});
provider.register();
registerInstrumentations({
  instrumentations: [new FetchInstrumentation({ propagateTraceHeaderCorsUrls: [new RegExp(location.origin)] })],
});
