// Sentry browser quick start with tracing (browserTracingIntegration, every transaction sampled).
import * as Sentry from '@sentry/browser';

Sentry.init({
  dsn: `${location.protocol}//public@${location.host}/1`,
  integrations: [Sentry.browserTracingIntegration()],
  tracesSampleRate: 1.0,
  tracePropagationTargets: [location.origin],
});
