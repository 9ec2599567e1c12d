import { useEffect, useMemo, useState } from 'preact/hooks';
import type { OtlpResourceLogs } from '../../bridge/otlp-types';
import { logRowsFrom } from '../models/logs';
import type { LogRow } from '../models/logs';
import { rootCause } from '../models/root-cause';
import type { TraceEntry } from '../models/store';
import { buildTraceTree } from '../models/trace-tree';
import { criticalPath } from '../models/critical-path';
import { ttftBreakdown } from '../models/breakdown';
import { chunkTimeline } from '../models/chunks';
import { findRoles } from '../models/trace-roles';
import { toResourceSpans } from '../models/span-record';
import { traceLink } from '../settings';
import { formatMs } from '../format';
import { BreakdownBar } from './BreakdownBar';
import { ChunkTimeline } from './ChunkTimeline';
import { Waterfall } from './Waterfall';
import { SpanDetails } from './SpanDetails';
import { LogList } from './LogList';
import { RootCauseBanner } from './RootCauseBanner';

export interface TraceViewProps {
  trace: TraceEntry;
  version: number;
  lookup: string;
  traceUrlTemplate: string;
  onRefresh: () => void;
  /** The adapter's log lookup; without it the trace view has no logs section. */
  fetchLogs?: (traceId: string, signal?: AbortSignal) => Promise<OtlpResourceLogs[] | undefined>;
}

export function TraceView({ trace, version, lookup, traceUrlTemplate, onRefresh, fetchLogs }: TraceViewProps) {
  const [selectedSpan, setSelectedSpan] = useState<string | undefined>(undefined);
  const [copied, setCopied] = useState(false);
  const [logs, setLogs] = useState<{ rows: LogRow[]; state: string } | undefined>(undefined);

  // Logs are exported in batches like spans: look again whenever the backend lookup progresses.
  useEffect(() => {
    if (!fetchLogs) return undefined;
    const abort = new AbortController();
    fetchLogs(trace.traceId, abort.signal)
      .then((resourceLogs) => {
        if (abort.signal.aborted) return;
        setLogs(resourceLogs ? { rows: logRowsFrom(resourceLogs), state: '' } : { rows: [], state: 'this query endpoint has no logs' });
      })
      .catch((error: unknown) => {
        if (!abort.signal.aborted) setLogs((previous) => ({ rows: previous?.rows ?? [], state: `log lookup failed: ${error instanceof Error ? error.message : String(error)}` }));
      });
    return () => abort.abort();
  }, [fetchLogs, trace.traceId, lookup]);
  const derived = useMemo(() => {
    const spans = [...trace.spans.values()];
    const tree = buildTraceTree(spans);
    const roles = findRoles(spans);
    const series = roles.stream ? trace.chunks.get(roles.stream.spanId) : [...trace.chunks.values()][0];
    return {
      tree,
      critical: criticalPath(tree),
      breakdown: ttftBreakdown(spans, series, roles),
      spans,
      timeline: roles.stream || series ? chunkTimeline(roles.stream, series) : undefined,
    };
  }, [trace.traceId, version]);
  const span = selectedSpan ? trace.spans.get(selectedSpan) : undefined;
  const cause = useMemo(() => rootCause(derived.spans, derived.breakdown), [derived]);
  const link = traceLink(traceUrlTemplate, trace.traceId);

  const copy = (): void => {
    const done = (): void => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1200);
    };
    if (navigator.clipboard?.writeText) navigator.clipboard.writeText(trace.traceId).then(done, () => fallbackCopy(trace.traceId, done));
    else fallbackCopy(trace.traceId, done);
  };

  const exportJson = (): void => {
    const body = JSON.stringify({ resourceSpans: toResourceSpans([...trace.spans.values()]) }, null, 2);
    const url = URL.createObjectURL(new Blob([body], { type: 'application/json' }));
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = `trace-${trace.traceId}.json`;
    document.body.appendChild(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <div class="trace-view" data-trace-id={trace.traceId}>
      <div class="trace-head">
        <span class="trace-id mono" title="trace id">{trace.traceId}</span>
        <button type="button" class="tb-button" onClick={copy}>{copied ? 'Copied' : 'Copy id'}</button>
        <button type="button" class="tb-button" onClick={exportJson}>Export OTLP JSON</button>
        {link ? <a class="tb-button" href={link} target="_blank" rel="noopener noreferrer">Open in Jaeger/Tempo</a> : null}
        <button type="button" class="tb-button" onClick={onRefresh} title="Look up backend spans again">Refresh backend</button>
        <span class="lookup-state">{lookup}</span>
      </div>
      {cause ? <RootCauseBanner cause={cause} onSelectSpan={setSelectedSpan} /> : null}
      {derived.breakdown ? <BreakdownBar breakdown={derived.breakdown} /> : null}
      {derived.timeline ? (
        <section class="card">
          <h3>Chunks</h3>
          <ChunkTimeline timeline={derived.timeline} />
        </section>
      ) : null}
      <section class="card waterfall-card">
        <h3>
          {'Spans '}
          <span class="muted">{`${formatMs(derived.tree.endMs - derived.tree.startMs)} · critical path highlighted`}</span>
        </h3>
        <div class="waterfall-wrap">
          <Waterfall tree={derived.tree} critical={derived.critical} selectedSpanId={selectedSpan} onSelectSpan={setSelectedSpan} />
          {span ? <SpanDetails span={span} traceStartMs={derived.tree.startMs} onClose={() => setSelectedSpan(undefined)} /> : null}
        </div>
      </section>
      {fetchLogs ? (
        <section class="card logs-card">
          <h3>
            {'Logs '}
            <span class="muted">{logs === undefined ? 'looking up…' : logs.state || `${logs.rows.length} records`}</span>
          </h3>
          {logs?.rows.length ? (
            <LogList rows={logs.rows} traceStartMs={derived.tree.startMs} knownSpans={trace.spans} selectedSpanId={selectedSpan} onSelectSpan={setSelectedSpan} />
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

function fallbackCopy(text: string, done: () => void): void {
  const area = document.createElement('textarea');
  area.value = text;
  document.body.appendChild(area);
  area.select();
  try {
    document.execCommand('copy');
    done();
  } finally {
    area.remove();
  }
}
