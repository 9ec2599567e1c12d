// Structural checks of docs/deploy: the collector config, the dashboard, the datasource
// provisioning, and the metric-name contract that ties them to alerts.yml and README.md.
// Prints one `ok - …` / `not ok - …` line per check (check.sh counts them) and writes every
// dashboard PromQL expression into a rules file so promtool can parse them.
// Usage: node test/deploy/validate-deploy.mjs <dashboard-rules-out.yml>
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

// DEPLOY_DIR lets check.sh run the same checks against deliberately broken copies.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const deployDir = process.env.DEPLOY_DIR ?? join(root, 'docs', 'deploy');
const deploy = (name) => join(deployDir, name);
const results = [];

function check(name, fn) {
  try {
    const problem = fn();
    results.push(problem ? `not ok - ${name}: ${problem}` : `ok - ${name}`);
  } catch (error) {
    results.push(`not ok - ${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const loadYaml = (name) => parse(readFileSync(deploy(name), 'utf8'), { uniqueKeys: true, prettyErrors: true });

// ---- Prometheus names, following the OTLP → Prometheus translation the exporter applies
// (dots to underscores, unit word appended, `_total` for monotonic sums).
const UNIT_WORDS = { s: 'seconds', ms: 'milliseconds', By: 'bytes' };
function promName(otelName, unit, kind) {
  const base = otelName.replace(/[^a-zA-Z0-9_:]/g, '_');
  const word = unit === undefined || /^\{.*\}$/.test(unit) ? '' : UNIT_WORDS[unit];
  if (word === undefined) throw new Error(`unit ${unit} of ${otelName} has no mapping here`);
  const named = word && !base.endsWith(`_${word}`) ? `${base}_${word}` : base;
  if (kind === 'counter') return [`${named}_total`];
  if (kind === 'histogram') return [`${named}_bucket`, `${named}_sum`, `${named}_count`];
  return [named];
}

let collector;
check('otel-collector.yaml parses as YAML without duplicate keys', () => {
  collector = loadYaml('otel-collector.yaml');
  return collector && typeof collector === 'object' ? undefined : 'empty document';
});

const sections = ['receivers', 'processors', 'exporters', 'connectors'];
const pipelines = () => Object.entries(collector.service.pipelines);

check('every pipeline component is defined, every defined component is used', () => {
  const used = new Set();
  for (const [name, p] of pipelines()) {
    for (const [role, section] of [['receivers', 'receivers'], ['processors', 'processors'], ['exporters', 'exporters']]) {
      for (const id of p[role] ?? []) {
        const defined = id in (collector[section] ?? {}) || (role !== 'processors' && id in (collector.connectors ?? {}));
        if (!defined) return `${name}.${role} uses undefined ${id}`;
        used.add(id);
      }
    }
  }
  for (const section of sections) {
    for (const id of Object.keys(collector[section] ?? {})) if (!used.has(id)) return `${section}.${id} is defined but unused`;
  }
  return undefined;
});

check('connectors are exported by one pipeline and received by another', () => {
  for (const id of Object.keys(collector.connectors)) {
    const out = pipelines().some(([, p]) => (p.exporters ?? []).includes(id));
    const into = pipelines().some(([, p]) => (p.receivers ?? []).includes(id));
    if (!out || !into) return `${id}: exporter side ${out}, receiver side ${into}`;
  }
  return undefined;
});

check('span metrics see every span: the pipeline feeding span_metrics has no tail_sampling', () => {
  const feeding = pipelines().filter(([, p]) => (p.exporters ?? []).includes('span_metrics'));
  if (feeding.length === 0) return 'no pipeline exports to span_metrics';
  for (const [name, p] of feeding) {
    if ((p.processors ?? []).includes('tail_sampling')) return `${name} samples before span_metrics`;
    if (!(p.receivers ?? []).includes('otlp')) return `${name} does not receive from otlp`;
  }
  const sampled = pipelines().filter(([, p]) => (p.processors ?? []).includes('tail_sampling'));
  if (sampled.length === 0) return 'no pipeline runs tail_sampling';
  return undefined;
});

check('memory_limiter is the first processor of every pipeline', () => {
  for (const [name, p] of pipelines()) if ((p.processors ?? [])[0] !== 'memory_limiter') return name;
  return undefined;
});

check('OTLP receiver: gRPC 4317, HTTP 4318 with an explicit CORS origin list', () => {
  const { grpc, http } = collector.receivers.otlp.protocols;
  if (!String(grpc.endpoint).endsWith(':4317')) return `grpc endpoint ${grpc.endpoint}`;
  if (!String(http.endpoint).endsWith(':4318')) return `http endpoint ${http.endpoint}`;
  const origins = http.cors?.allowed_origins ?? [];
  if (origins.length === 0) return 'no cors.allowed_origins';
  if (origins.includes('*')) return 'wildcard CORS origin';
  if (!(http.cors.allowed_headers ?? []).includes('Content-Type')) return 'Content-Type not allowed';
  return undefined;
});

check('tail_sampling keeps errors, >5 s traces, error/cancel messages and 10% of the rest', () => {
  const policies = collector.processors.tail_sampling.policies;
  const byType = (type) => policies.filter((p) => p.type === type);
  if (!byType('status_code').some((p) => p.status_code.status_codes.includes('ERROR'))) return 'no ERROR status policy';
  if (!byType('latency').some((p) => p.latency.threshold_ms === 5000)) return 'no 5000 ms latency policy';
  const outcome = byType('string_attribute').find((p) => p.string_attribute.key === 'streamtrace.message.outcome');
  if (!outcome || !['error', 'cancel'].every((v) => outcome.string_attribute.values.includes(v))) return 'no outcome policy';
  if (!byType('probabilistic').some((p) => p.probabilistic.sampling_percentage === 10)) return 'no 10% probabilistic policy';
  for (const p of policies) if (!(p.type in p) && p.type !== 'always_sample') return `policy ${p.name} lacks its ${p.type} block`;
  return undefined;
});

check('span_metrics: required dimensions, no unbounded ones, exemplars on', () => {
  const sm = collector.connectors.span_metrics;
  const dims = sm.dimensions.map((d) => d.name);
  for (const d of ['gen_ai.request.model', 'gen_ai.operation.name', 'streamtrace.stream.outcome', 'error.type']) {
    if (!dims.includes(d)) return `missing ${d}`;
  }
  for (const d of ['session.id', 'streamtrace.message.id', 'gen_ai.conversation.id', 'url.full', 'trace_id']) {
    if (dims.includes(d)) return `unbounded dimension ${d}`;
  }
  if (sm.exemplars?.enabled !== true) return 'exemplars disabled';
  return undefined;
});

check('prometheus exporter exposes OpenMetrics (needed for exemplars)', () =>
  collector.exporters.prometheus?.enable_open_metrics === true ? undefined : 'enable_open_metrics is not true');

check("metrics pipeline: the services' OTLP metrics (otlp) beside span_metrics and signal_to_metrics, into prometheus", () => {
  const metricPipelines = pipelines().filter(([name]) => name === 'metrics' || name.startsWith('metrics/'));
  if (metricPipelines.length === 0) return 'no metrics pipeline';
  const receivers = new Set(metricPipelines.flatMap(([, p]) => p.receivers ?? []));
  for (const id of ['otlp', 'span_metrics', 'signal_to_metrics']) if (!receivers.has(id)) return `no metrics pipeline receives from ${id}`;
  const feeding = metricPipelines.filter(([, p]) => (p.receivers ?? []).includes('otlp'));
  if (!feeding.every(([, p]) => (p.exporters ?? []).includes('prometheus'))) return 'the otlp metrics do not reach the prometheus exporter';
  return undefined;
});

check('every signal the SDKs and services send over OTLP has a pipeline: traces, metrics and logs', () => {
  for (const signal of ['traces', 'metrics', 'logs']) {
    const receiving = pipelines().filter(([name, p]) => (name === signal || name.startsWith(`${signal}/`)) && (p.receivers ?? []).includes('otlp'));
    if (receiving.length === 0) return `no ${signal} pipeline receives from otlp (the receiver refuses that signal)`;
  }
  return undefined;
});

// Names the collector config makes Prometheus expose.
const produced = new Set();
check('derive the Prometheus names of every collector-produced metric', () => {
  const sm = collector.connectors.span_metrics;
  const ns = sm.namespace ?? 'traces.span.metrics';
  promName(`${ns}.calls`, undefined, 'counter').forEach((n) => produced.add(n));
  promName(`${ns}.duration`, sm.histogram?.unit ?? 'ms', 'histogram').forEach((n) => produced.add(n));
  for (const m of collector.connectors.signal_to_metrics.spans) {
    const kind = m.histogram ? 'histogram' : m.sum ? 'gauge' : m.exponential_histogram ? 'histogram' : 'gauge';
    promName(m.name, m.unit, kind).forEach((n) => produced.add(n));
  }
  return produced.has('traces_span_metrics_calls_total') && produced.has('streamtrace_ttft_visible_seconds_bucket')
    ? undefined
    : `unexpected names: ${[...produced].join(', ')}`;
});

// ---- Metric names referenced by PromQL.
const PROMQL_WORDS = new Set([
  'and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset',
  'inf', 'nan', 'le',
]);
function metricNames(expr) {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '');
  const names = new Set();
  for (const match of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = match[0];
    const next = stripped.slice(match.index + word.length).trimStart()[0];
    if (next === '(' || PROMQL_WORDS.has(word.toLowerCase())) continue;
    const before = stripped[match.index - 1];
    if (before && /[0-9.]/.test(before)) continue; // 5m, 1e3
    names.add(word);
  }
  return names;
}

let rules;
check('alerts.yml parses; every alert has a runbook_url, summary and severity', () => {
  rules = loadYaml('alerts.yml');
  for (const group of rules.groups) {
    for (const rule of group.rules) {
      if (!rule.alert) continue;
      if (!rule.annotations?.runbook_url?.startsWith('docs/deploy/README.md#runbook-')) return `${rule.alert} runbook_url`;
      if (!rule.annotations?.summary) return `${rule.alert} summary`;
      if (!rule.labels?.severity) return `${rule.alert} severity`;
    }
  }
  return undefined;
});

const readme = readFileSync(deploy('README.md'), 'utf8');
const contract = new Set([...readme.matchAll(/`([a-z_:][a-z0-9_:]*)`/g)].map((m) => m[1]));

check('README documents every collector-produced metric', () => {
  const bases = [...produced].map((n) => n.replace(/_(bucket|sum|count)$/, ''));
  const missing = bases.filter((n) => !contract.has(n));
  return missing.length ? `missing: ${[...new Set(missing)].join(', ')}` : undefined;
});

// The contract table: one row per Prometheus name, the producer in the last column.
const contractRows = (() => {
  const section = readme.split(/^## Metric-name contract$/m)[1]?.split(/^## /m)[0] ?? '';
  return [...section.matchAll(/^\| `([a-z_:][a-z0-9_:]*)` \|.*\| ([^|]+) \|$/gm)].map((m) => ({ name: m[1], producer: m[2].trim() }));
})();

check('one source per metric: every contract name has one row; services never export a connector-derived name', () => {
  if (contractRows.length === 0) return 'no contract table rows';
  const seen = new Set();
  for (const { name } of contractRows) {
    if (seen.has(name)) return `${name} has two rows`;
    seen.add(name);
  }
  const fromServices = contractRows.filter((r) => r.producer.startsWith("services' OTLP metrics"));
  if (fromServices.length === 0) return "no row is produced by the services' OTLP metrics";
  const clash = fromServices.filter((r) => ['', '_bucket', '_total'].some((suffix) => produced.has(r.name + suffix)));
  return clash.length ? `also derived by the collector: ${clash.map((r) => r.name).join(', ')}` : undefined;
});

check('every runbook_url anchor exists in README', () => {
  for (const group of rules.groups) {
    for (const rule of group.rules) {
      if (!rule.alert) continue;
      const anchor = rule.annotations.runbook_url.split('#')[1];
      const heading = new RegExp(`^#{2,4} .*\\b${rule.alert}\\b`, 'm');
      if (!heading.test(readme) || anchor !== `runbook-${rule.alert.toLowerCase()}`) return `${rule.alert} has no README heading`;
    }
  }
  return undefined;
});

const recorded = new Set();
function unknownNames(expr) {
  const known = (n) =>
    produced.has(n) || recorded.has(n) || contract.has(n) || contract.has(n.replace(/_(bucket|sum|count)$/, ''));
  return [...metricNames(expr)].filter((n) => !known(n));
}

check('alerts.yml uses only produced, recorded or documented metrics', () => {
  for (const group of rules.groups) for (const rule of group.rules) if (rule.record) recorded.add(rule.record);
  for (const group of rules.groups) {
    for (const rule of group.rules) {
      const unknown = unknownNames(rule.expr);
      if (unknown.length) return `${rule.alert ?? rule.record}: ${unknown.join(', ')}`;
    }
  }
  return undefined;
});

let dashboard;
check('grafana-dashboard.json parses; schemaVersion ≥ 39; Prometheus and Tempo datasource variables', () => {
  dashboard = JSON.parse(readFileSync(deploy('grafana-dashboard.json'), 'utf8'));
  if (!(dashboard.schemaVersion >= 39)) return `schemaVersion ${dashboard.schemaVersion}`;
  const vars = dashboard.templating.list.filter((v) => v.type === 'datasource').map((v) => `${v.name}:${v.query}`);
  for (const want of ['prometheus:prometheus', 'tempo:tempo']) if (!vars.includes(want)) return `no ${want} variable`;
  return undefined;
});

const panels = () => dashboard.panels.filter((p) => p.type !== 'row');

check('dashboard panels: unique ids, grid positions, datasources through the variables', () => {
  const ids = new Set();
  for (const p of dashboard.panels) {
    if (ids.has(p.id)) return `duplicate id ${p.id}`;
    ids.add(p.id);
    const g = p.gridPos;
    if (!g || g.w < 1 || g.w > 24 || g.x + g.w > 24) return `panel ${p.id} gridPos`;
  }
  for (const p of panels()) {
    for (const t of p.targets ?? []) {
      if (!['${prometheus}', '${tempo}'].includes(t.datasource?.uid)) return `panel ${p.id} target ${t.refId} datasource`;
    }
  }
  return undefined;
});

check('dashboard: exemplars enabled, TraceQL tables, TTFT, render latency, errors, cancels, stalls', () => {
  const targets = panels().flatMap((p) => p.targets ?? []);
  if (!targets.some((t) => t.exemplar === true)) return 'no exemplar query';
  const traceql = targets.filter((t) => t.queryType === 'traceql');
  if (!traceql.some((t) => /name = "chat\.message"/.test(t.query) && /\| select\(/.test(t.query))) return 'no chat.message TraceQL table';
  const exprs = targets.map((t) => t.expr ?? '').join('\n');
  for (const needle of ['ttft_visible_seconds', 'streamtrace_chunk_render_latency_seconds_bucket',
    'gen_ai_client_operation_time_to_first_chunk_seconds_bucket', 'streamtrace_stream_ttfb_seconds_bucket',
    'STATUS_CODE_ERROR', 'streamtrace_stream_outcome="cancel"', 'transport:streamtrace_streams_stalled:ratio_rate10m',
    'span_name=~"retrieval .*"']) {
    if (!exprs.includes(needle)) return `no query with ${needle}`;
  }
  return undefined;
});

check('the TTFT alert\'s histogram is drawn with exemplars (alert → exemplar → trace)', () => {
  const all = rules.groups.flatMap((g) => g.rules);
  const recordedExpr = new Map(all.filter((r) => r.record).map((r) => [r.record, r.expr]));
  const alert = all.find((r) => r.alert === 'StreamtraceTimeToFirstTokenSlow');
  if (!alert) return 'no StreamtraceTimeToFirstTokenSlow alert';
  const histograms = new Set();
  const visit = (expr, depth) => {
    for (const name of metricNames(expr)) {
      if (recordedExpr.has(name) && depth < 10) visit(recordedExpr.get(name), depth + 1);
      else if (name.endsWith('_bucket')) histograms.add(name);
    }
  };
  visit(alert.expr, 0);
  if (histograms.size === 0) return 'the alert reads no histogram';
  const targets = panels().flatMap((p) => p.targets ?? []).filter((t) => t.exemplar === true && t.expr);
  const missing = [...histograms].filter((h) => !targets.some((t) => t.expr.includes(h)));
  return missing.length ? `no exemplar query over ${missing.join(', ')}` : undefined;
});

const dashboardExprs = [];
check('dashboard PromQL uses only produced, recorded or documented metrics', () => {
  for (const p of panels()) {
    for (const t of p.targets ?? []) {
      if (!t.expr) continue;
      const expr = t.expr.replaceAll('$__rate_interval', '5m');
      dashboardExprs.push({ panel: p.id, refId: t.refId, expr });
      const unknown = unknownNames(expr);
      if (unknown.length) return `panel ${p.id} ${t.refId}: ${unknown.join(', ')}`;
    }
  }
  return dashboardExprs.length ? undefined : 'no PromQL targets';
});

check('grafana-datasources.yaml: exemplar trace_id links Prometheus to Tempo', () => {
  const ds = loadYaml('grafana-datasources.yaml').datasources;
  const prom = ds.find((d) => d.type === 'prometheus');
  const tempo = ds.find((d) => d.type === 'tempo');
  const link = prom?.jsonData?.exemplarTraceIdDestinations?.find((d) => d.name === 'trace_id');
  return link && tempo && link.datasourceUid === tempo.uid ? undefined : 'no trace_id → Tempo exemplar destination';
});

const out = process.argv[2];
if (out) {
  const group = { name: 'dashboard-expressions', rules: dashboardExprs.map((e) => ({ record: `dashboard:panel${e.panel}:${e.refId}`, expr: e.expr })) };
  writeFileSync(out, stringify({ groups: [group] }));
}
for (const line of results) console.log(line);
process.exitCode = results.some((l) => l.startsWith('not ok')) ? 1 : 0;
