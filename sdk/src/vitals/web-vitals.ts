import type { SpanTracer } from '../export/tracer.js';
import { onCLS, onFCP, onINP, onLCP, onTTFB, type Metric } from 'web-vitals';
import { attributionAttributes } from './attribution.js';
import { guard } from '../diag.js';
import { round } from '../timing/chunk-timeline.js';

/** Each web-vital report becomes a small `browser.web_vitals` span carrying one `browser.web_vital` event. */
export function startWebVitals(tracer: SpanTracer, enabled: () => boolean): void {
  const report = guard('web-vitals report', (metric: Metric) => {
    if (!enabled()) return;
    const span = tracer.startSpan('browser.web_vitals', { attributes: { 'browser.web_vital.name': metric.name } });
    span.addEvent('browser.web_vital', {
      'browser.web_vital.name': metric.name,
      'browser.web_vital.value': round(metric.value),
      'browser.web_vital.rating': metric.rating,
      'browser.web_vital.id': metric.id,
      'browser.web_vital.delta': round(metric.delta),
      'browser.web_vital.navigation_type': metric.navigationType,
      ...attributionAttributes(metric),
    });
    span.end();
  });
  onCLS(report);
  onINP(report);
  onLCP(report);
  onFCP(report);
  onTTFB(report);
}
