import type { Exemplar, LabelPairs, MetricFamily } from './registry.js';

export type ExpositionFormat = 'openmetrics' | 'text';

export const CONTENT_TYPES: Record<ExpositionFormat, string> = {
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
  text: 'text/plain; version=0.0.4; charset=utf-8',
};

/**
 * OpenMetrics when the Accept header prefers it (Prometheus sends
 * `application/openmetrics-text;version=1.0.0;q=0.5,…,text/plain;version=0.0.4;q=0.3,*\/*;q=0.2`),
 * otherwise the classic text format. Only an explicit `application/openmetrics-text` selects it.
 */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  let openMetrics = 0;
  let text = 0;
  for (const part of (accept ?? '').split(',')) {
    const [mediaRange = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q)) continue;
    if (mediaRange === 'application/openmetrics-text') openMetrics = Math.max(openMetrics, q);
    else if (mediaRange === 'text/plain' || mediaRange === 'text/*' || mediaRange === '*/*') text = Math.max(text, q);
  }
  return openMetrics > 0 && openMetrics >= text ? 'openmetrics' : 'text';
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(help: string, format: ExpositionFormat): string {
  const escaped = help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return format === 'openmetrics' ? escaped.replace(/"/g, '\\"') : escaped;
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** Bucket bounds: OpenMetrics wants canonical floats (`1.0`), as Prometheus' own clients write them. */
function formatBound(bound: number, format: ExpositionFormat): string {
  if (format === 'openmetrics' && Number.isInteger(bound)) return `${bound}.0`;
  return formatNumber(bound);
}

function formatLabels(labels: LabelPairs): string {
  if (labels.length === 0) return '';
  return `{${labels.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')}}`;
}

function formatExemplar(exemplar: Exemplar): string {
  const labels = formatLabels([
    ['trace_id', exemplar.traceId],
    ['span_id', exemplar.spanId],
  ]);
  return ` # ${labels} ${formatNumber(exemplar.value)} ${(exemplar.timestampMs / 1000).toFixed(3)}`;
}

function renderFamily(family: MetricFamily, format: ExpositionFormat, lines: string[]): void {
  const om = format === 'openmetrics';
  // In the text format a counter's metadata names the sample (`…_total`); OpenMetrics names the family.
  const metaName = family.type === 'counter' && !om ? `${family.name}_total` : family.name;
  lines.push(`# HELP ${metaName} ${escapeHelp(family.help, format)}`);
  lines.push(`# TYPE ${metaName} ${family.type}`);
  if (om && family.unit) lines.push(`# UNIT ${metaName} ${family.unit}`);

  if (family.type === 'counter') {
    for (const series of family.series.values()) {
      lines.push(`${family.name}_total${formatLabels(series.labels)} ${formatNumber(series.value)}`);
    }
    return;
  }
  for (const series of family.series.values()) {
    let cumulative = 0;
    for (let i = 0; i <= family.buckets.length; i++) {
      cumulative += series.bucketCounts[i] ?? 0;
      const le = i < family.buckets.length ? formatBound(family.buckets[i] as number, format) : '+Inf';
      const exemplar = om ? series.exemplars[i] : undefined;
      lines.push(`${family.name}_bucket${formatLabels([...series.labels, ['le', le]])} ${cumulative}${exemplar ? formatExemplar(exemplar) : ''}`);
    }
    const labels = formatLabels(series.labels);
    lines.push(`${family.name}_sum${labels} ${formatNumber(series.sum)}`);
    lines.push(`${family.name}_count${labels} ${series.count}`);
  }
}

/** Prometheus text format 0.0.4 (no exemplars) or OpenMetrics 1.0 (exemplars, `# EOF`). */
export function renderMetrics(families: readonly MetricFamily[], format: ExpositionFormat): string {
  const lines: string[] = [];
  for (const family of families) renderFamily(family, format, lines);
  if (format === 'openmetrics') lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}
