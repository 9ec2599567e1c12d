import type { Attributes } from '@opentelemetry/api';
import type { Metric } from 'web-vitals';
import { round } from '../timing/chunk-timeline.js';

/**
 * The few attribution fields we record, computed from the metric's own entries the way
 * `web-vitals/attribution` computes them, without its 6 KB of bookkeeping. One difference: targets
 * are read when the metric is reported (mostly on page hide), so an element removed from the page
 * by then has no LCP/CLS target (LCP falls back to its `id`, INP to Chromium's `targetSelector`).
 */
const MAX_SELECTOR = 100;
const PREFIX = 'browser.web_vital.attribution.';

/** `web-vitals`' selector: `#id`, else `tag.class…` parts joined by `>` up to an id, at most 100 characters. */
export function selector(node: Node | null | undefined): string | undefined {
  let sel = '';
  try {
    while (node && node.nodeType !== 9) {
      const el = node as Element;
      const part = el.id ? `#${el.id}` : [el.nodeType === 1 ? el.nodeName.toLowerCase() : el.nodeName.toUpperCase().replace(/^#/, ''), ...Array.from(el.classList ?? []).sort()].join('.');
      if (sel.length + part.length > MAX_SELECTOR - 1) return sel || part;
      sel = sel ? `${part}>${sel}` : part;
      if (el.id) break;
      node = el.parentNode;
    }
  } catch {
    // A detached or foreign node: whatever was built so far.
  }
  return sel || undefined;
}

/** The navigation entry when its `responseStart` is sane (as web-vitals checks). */
function navigation(): PerformanceNavigationTiming | undefined {
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  return nav && nav.responseStart > 0 && nav.responseStart < performance.now() ? nav : undefined;
}

const activation = (nav: PerformanceNavigationTiming): number => (nav as { activationStart?: number }).activationStart ?? 0;
const ttfb = (nav: PerformanceNavigationTiming): number => Math.max(0, nav.responseStart - activation(nav));

type EventEntry = PerformanceEventTiming & { targetSelector?: string };
type ShiftEntry = PerformanceEntry & { value: number; sources?: { node?: Node | null }[] };
type LcpEntry = PerformanceEntry & { element?: Element | null; id?: string; url?: string };

/** Raw attribution values by attribute suffix (`target`, `ttfb_ms`, …) of one metric report. */
export function attributionOf(metric: Metric): Record<string, string | number | undefined> {
  const entries = metric.entries as PerformanceEntry[];
  const nav = navigation();
  switch (metric.name) {
    case 'CLS': {
      const largest = (entries as ShiftEntry[]).reduce<ShiftEntry | undefined>((a, b) => (a && a.value > b.value ? a : b), undefined);
      const sources = largest?.sources ?? [];
      return { target: selector((sources.find((s) => s.node?.nodeType === 1) ?? sources[0])?.node) };
    }
    case 'INP': {
      const events = entries as EventEntry[];
      if (events.length === 0) return {};
      const min = (f: (e: EventEntry) => number): number => Math.min(...events.map(f));
      const max = (f: (e: EventEntry) => number): number => Math.max(...events.map(f));
      const processingStart = min((e) => e.processingStart);
      const processingEnd = max((e) => e.processingEnd);
      return {
        target: selector(events.find((e) => e.target)?.target) ?? events.find((e) => e.targetSelector)?.targetSelector,
        interaction_type: (events[0] as EventEntry).name.startsWith('key') ? 'keyboard' : 'pointer',
        input_delay_ms: processingStart - min((e) => e.startTime),
        processing_ms: processingEnd - processingStart,
        presentation_delay_ms: Math.max(max((e) => e.startTime + e.duration) - processingEnd, 0),
      };
    }
    case 'LCP': {
      const lcp = entries[entries.length - 1] as LcpEntry | undefined;
      const target = lcp && (selector(lcp.element) ?? (lcp.id ? `#${lcp.id}` : undefined));
      if (lcp === undefined || nav === undefined) return { target };
      const start = activation(nav);
      const resource = lcp.url ? (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((e) => e.name === lcp.url) : undefined;
      const firstByte = ttfb(nav);
      const requestStart = Math.max(firstByte, resource ? (resource.requestStart || resource.startTime) - start : 0);
      const responseEnd = Math.min(metric.value, Math.max(requestStart, resource ? resource.responseEnd - start : 0));
      return {
        target,
        ttfb_ms: firstByte,
        resource_load_ms: responseEnd - requestStart,
        render_delay_ms: metric.value - responseEnd,
      };
    }
    case 'FCP':
      return { ttfb_ms: nav && ttfb(nav) };
    case 'TTFB': {
      const entry = entries[0] as PerformanceNavigationTiming | undefined;
      if (entry === undefined) return {};
      const start = activation(entry);
      const waiting = Math.max((entry.workerStart || entry.fetchStart) - start, 0);
      return { waiting_ms: waiting, request_ms: metric.value - Math.max(entry.connectEnd - start, 0) };
    }
  }
  return {};
}

/** `browser.web_vital.attribution.*` attributes: strings cut to 256 characters, numbers rounded to µs. */
export function attributionAttributes(metric: Metric): Attributes {
  const out: Attributes = {};
  const raw = attributionOf(metric);
  for (const key in raw) {
    const value = raw[key];
    if (typeof value === 'string') out[PREFIX + key] = value.slice(0, 256);
    else if (typeof value === 'number' && Number.isFinite(value)) out[PREFIX + key] = round(value);
  }
  return out;
}
