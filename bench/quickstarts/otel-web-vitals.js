// Plain OpenTelemetry covering what OpenTelemetry's own packages can of what Streamtrace ships:
// the otel-web quick start plus XHR instrumentation and the same five web vitals reported as spans.
// (OpenTelemetry has no EventSource/WebSocket instrumentation, chunk timing or unsampled buffer.)
import { trace } from '@opentelemetry/api';
import { WebTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-web';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { XMLHttpRequestInstrumentation } from '@opentelemetry/instrumentation-xml-http-request';
import { onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals';

const provider = new WebTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'bench' }),
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${location.origin}/v1/traces` }))],
});
provider.register();
const propagateTraceHeaderCorsUrls = [new RegExp(location.origin)];
registerInstrumentations({
  instrumentations: [new FetchInstrumentation({ propagateTraceHeaderCorsUrls }), new XMLHttpRequestInstrumentation({ propagateTraceHeaderCorsUrls })],
});
const tracer = trace.getTracer('web-vitals');
const report = (metric) => {
  const span = tracer.startSpan('browser.web_vitals', { attributes: { 'browser.web_vital.name': metric.name } });
  span.addEvent('browser.web_vital', { 'browser.web_vital.value': metric.value, 'browser.web_vital.rating': metric.rating, 'browser.web_vital.id': metric.id });
  span.end();
};
for (const on of [onCLS, onINP, onLCP, onFCP, onTTFB]) on(report);
