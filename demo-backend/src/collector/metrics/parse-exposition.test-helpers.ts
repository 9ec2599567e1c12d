// A strict reader of what /metrics writes, for tests: it checks the grammar of the Prometheus
// text format 0.0.4 and of OpenMetrics 1.0 (metadata, sample lines, exemplars, `# EOF`) and the
// histogram invariants a scraper relies on, and throws on anything it does not understand.

export interface ParsedExemplar {
  labels: Record<string, string>;
  value: number;
  timestamp?: number;
}

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  exemplar?: ParsedExemplar;
}

export interface ParsedFamily {
  name: string;
  type: string;
  help?: string;
  unit?: string;
  samples: ParsedSample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABELS = `\\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*")*)?\\}`;
const NUMBER = '(?:[-+]?(?:\\d+\\.?\\d*(?:[eE][-+]?\\d+)?|\\.\\d+(?:[eE][-+]?\\d+)?)|[-+]?Inf|NaN)';
const SAMPLE = new RegExp(`^(${NAME})(${LABELS})? (${NUMBER})(?: (-?\\d+(?:\\.\\d+)?))?(?: # (${LABELS}) (${NUMBER})(?: (\\d+(?:\\.\\d+)?))?)?$`);
const SUFFIXES: Record<string, string[]> = { counter: ['_total'], histogram: ['_bucket', '_sum', '_count'], gauge: [''] };

function parseNumber(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

function parseLabels(text: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  if (!text) return labels;
  for (const match of text.slice(1, -1).matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
    const name = match[1] as string;
    if (name in labels) throw new Error(`duplicate label ${name}`);
    labels[name] = (match[2] as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

export function parseExposition(body: string, format: 'openmetrics' | 'text'): Map<string, ParsedFamily> {
  const om = format === 'openmetrics';
  if (!body.endsWith('\n')) throw new Error('exposition must end with a newline');
  const lines = body.slice(0, -1).split('\n');
  if (om) {
    if (lines.pop() !== '# EOF') throw new Error('OpenMetrics must end with # EOF');
  } else if (lines.includes('# EOF')) throw new Error('text format has no # EOF');
  const families = new Map<string, ParsedFamily>();
  let current: ParsedFamily | undefined;
  for (const line of lines) {
    const meta = /^# (HELP|TYPE|UNIT) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const [, kind, name = '', rest = ''] = meta;
      if (kind === 'UNIT' && !om) throw new Error('UNIT is OpenMetrics only');
      if (current?.name !== name) {
        if (families.has(name)) throw new Error(`family ${name} is not contiguous`);
        current = { name, type: 'unknown', samples: [] };
        families.set(name, current);
      }
      if (kind === 'TYPE') current.type = rest;
      if (kind === 'HELP') current.help = rest;
      if (kind === 'UNIT') {
        if (!name.endsWith(`_${rest}`)) throw new Error(`unit ${rest} is not a suffix of ${name}`);
        current.unit = rest;
      }
      continue;
    }
    if (line.startsWith('#')) throw new Error(`unexpected comment line ${line}`);
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const [, name = '', labelText, valueText = '', , exemplarLabels, exemplarValue, exemplarTs] = match;
    if (!current) throw new Error(`sample before any metadata: ${line}`);
    const familyName = om ? current.name : current.name.replace(/_total$/, '');
    const suffix = name.slice(familyName.length);
    if (!name.startsWith(familyName) || !(SUFFIXES[current.type] ?? ['']).includes(suffix)) throw new Error(`sample ${name} does not belong to ${current.name}`);
    if (!om && exemplarLabels) throw new Error('exemplars are OpenMetrics only');
    const sample: ParsedSample = { name, labels: parseLabels(labelText), value: parseNumber(valueText) };
    if (exemplarLabels) {
      if (suffix !== '_bucket' && suffix !== '_total') throw new Error(`exemplar on ${name}`);
      if (exemplarLabels.length - 2 > 128) throw new Error('exemplar label set longer than 128 characters');
      sample.exemplar = { labels: parseLabels(exemplarLabels), value: parseNumber(exemplarValue as string) };
      if (exemplarTs !== undefined) sample.exemplar.timestamp = Number(exemplarTs);
    }
    current.samples.push(sample);
  }
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

/** Buckets cumulative and ordered, +Inf = _count, exemplars inside their bucket. */
function checkHistogram(family: ParsedFamily): void {
  const bySeries = new Map<string, ParsedSample[]>();
  for (const sample of family.samples) {
    const { le: _le, ...rest } = sample.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    bySeries.set(key, [...(bySeries.get(key) ?? []), sample]);
  }
  for (const samples of bySeries.values()) {
    const buckets = samples.filter((s) => s.name.endsWith('_bucket'));
    const count = samples.find((s) => s.name.endsWith('_count'));
    let previousBound = -Infinity;
    let previousCount = 0;
    for (const bucket of buckets) {
      const bound = parseNumber(bucket.labels.le ?? 'x');
      if (!(bound > previousBound)) throw new Error(`${family.name}: buckets out of order`);
      if (bucket.value < previousCount) throw new Error(`${family.name}: buckets not cumulative`);
      if (bucket.exemplar && !(bucket.exemplar.value <= bound && bucket.exemplar.value > previousBound)) {
        throw new Error(`${family.name}: exemplar ${bucket.exemplar.value} outside bucket le=${bound}`);
      }
      previousBound = bound;
      previousCount = bucket.value;
    }
    if (previousBound !== Infinity) throw new Error(`${family.name}: no +Inf bucket`);
    if (count?.value !== previousCount) throw new Error(`${family.name}: _count differs from the +Inf bucket`);
  }
}

/** The sample with exactly these labels (plus any `le` given). */
export function findSample(family: ParsedFamily | undefined, name: string, labels: Record<string, string>): ParsedSample | undefined {
  return family?.samples.find(
    (s) => s.name === name && Object.keys(s.labels).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
}
