// OpenTelemetry web tracer provider + OTLP/HTTP exporter, no instrumentation (the floor of any OTel-based SDK).
import { WebTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-web';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';

const provider = new WebTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'bench' }),
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${location.origin}/v1/traces` }))],
});
provider.register();
