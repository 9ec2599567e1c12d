import type { Attributes, Tracer } from '@opentelemetry/api';
import { onCLS, onFCP, onINP, onLCP, onTTFB, type MetricWithAttribution } from 'web-vitals/attribution';
import { log } from '../diag.js';

/** A few attribution fields per metric: enough to find the culprit, bounded in size. */
function attributionSummary(metric: MetricWithAttribution): Attributes {
  const a = metric.attribution as unknown as Record<string, unknown>;
  const out: Attributes = {};
  const pick = (key: string, name: string): void => {
    const value = a[key];
    if (typeof value === 'string') out[name] = value.slice(0, 256);
    else if (typeof value === 'number' && Number.isFinite(value)) out[name] = Math.round(value * 1000) / 1000;
  };
  switch (metric.name) {
    case 'CLS': pick('largestShiftTarget', 'browser.web_vital.attribution.target'); break;
    case 'INP':
      pick('interactionTarget', 'browser.web_vital.attribution.target');
      pick('interactionType', 'browser.web_vital.attribution.interaction_type');
      pick('inputDelay', 'browser.web_vital.attribution.input_delay_ms');
      pick('processingDuration', 'browser.web_vital.attribution.processing_ms');
      pick('presentationDelay', 'browser.web_vital.attribution.presentation_delay_ms');
      break;
    case 'LCP':
      pick('target', 'browser.web_vital.attribution.target');
      pick('timeToFirstByte', 'browser.web_vital.attribution.ttfb_ms');
      pick('resourceLoadDuration', 'browser.web_vital.attribution.resource_load_ms');
      pick('elementRenderDelay', 'browser.web_vital.attribution.render_delay_ms');
      break;
    case 'FCP': pick('timeToFirstByte', 'browser.web_vital.attribution.ttfb_ms'); break;
    case 'TTFB':
      pick('waitingDuration', 'browser.web_vital.attribution.waiting_ms');
      pick('requestDuration', 'browser.web_vital.attribution.request_ms');
      break;
  }
  return out;
}

/** Each web-vital report becomes a small `browser.web_vitals` span carrying one `browser.web_vital` event. */
export function startWebVitals(tracer: Tracer, enabled: () => boolean): void {
  const report = (metric: MetricWithAttribution): void => {
    try {
      if (!enabled()) return;
      const span = tracer.startSpan('browser.web_vitals', { attributes: { 'browser.web_vital.name': metric.name } });
      span.addEvent('browser.web_vital', {
        'browser.web_vital.name': metric.name,
        'browser.web_vital.value': Math.round(metric.value * 1000) / 1000,
        'browser.web_vital.rating': metric.rating,
        'browser.web_vital.id': metric.id,
        'browser.web_vital.delta': Math.round(metric.delta * 1000) / 1000,
        'browser.web_vital.navigation_type': metric.navigationType,
        ...attributionSummary(metric),
      });
      span.end();
    } catch (error) {
      log.warn('web-vitals report failed', error);
    }
  };
  onCLS(report);
  onINP(report);
  onLCP(report);
  onFCP(report);
  onTTFB(report);
}
