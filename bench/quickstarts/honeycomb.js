// Honeycomb web quick start (README): HoneycombWebSDK with the web auto-instrumentations.
import { HoneycombWebSDK } from '@honeycombio/opentelemetry-web';
import { getWebAutoInstrumentations } from '@opentelemetry/auto-instrumentations-web';

const configDefaults = { ignoreNetworkEvents: true, propagateTraceHeaderCorsUrls: [new RegExp(location.origin)] };
const sdk = new HoneycombWebSDK({
  endpoint: location.origin,
  serviceName: 'bench',
  skipOptionsValidation: true,
  instrumentations: [
    getWebAutoInstrumentations({
      '@opentelemetry/instrumentation-xml-http-request': configDefaults,
      '@opentelemetry/instrumentation-fetch': configDefaults,
      '@opentelemetry/instrumentation-document-load': configDefaults,
    }),
  ],
});
sdk.start();
