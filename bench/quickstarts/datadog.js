// Datadog RUM quick start (docs defaults, session replay off so the run is deterministic), sent to the local sink.
import { datadogRum } from '@datadog/browser-rum';

datadogRum.init({
  applicationId: '00000000-0000-4000-8000-000000000000',
  clientToken: 'pub00000000000000000000000000000000',
  site: 'datadoghq.com',
  service: 'bench',
  env: 'bench',
  proxy: `${location.origin}/sink/dd`,
  sessionSampleRate: 100,
  sessionReplaySampleRate: 0,
  trackResources: true,
  trackLongTasks: true,
  trackUserInteractions: true,
  defaultPrivacyLevel: 'mask-user-input',
  allowedTracingUrls: [location.origin],
});
