import type { TraceTree, TreeNode } from '../models/trace-tree';
import { STATUS_ERROR } from '../models/span-record';
import { formatMs, serviceColor } from '../format';
import { VirtualList } from './VirtualList';

export interface WaterfallProps {
  tree: TraceTree;
  critical: Set<string>;
  selectedSpanId?: string;
  onSelectSpan: (spanId: string) => void;
}

/** Events beyond this per row are not drawn as ticks (they stay listed in the details). */
const MAX_TICKS = 60;

export function Waterfall({ tree, critical, selectedSpanId, onSelectSpan }: WaterfallProps) {
  const total = Math.max(tree.endMs - tree.startMs, 0.001);
  const pct = (ms: number): number => Math.min(100, Math.max(0, ((ms - tree.startMs) / total) * 100));
  const renderRow = (node: TreeNode) => {
    const { span } = node;
    const left = pct(span.startMs);
    const width = Math.max(0.2, pct(span.endMs) - left);
    const error = span.statusCode === STATUS_ERROR;
    const classes = ['span-row', error ? 'is-error' : '', critical.has(span.spanId) ? 'is-critical' : '', span.spanId === selectedSpanId ? 'selected' : '']
      .filter(Boolean)
      .join(' ');
    return (
      <button type="button" class={classes} data-span-id={span.spanId} onClick={() => onSelectSpan(span.spanId)}>
        <span class="span-name" style={{ paddingLeft: `${6 + node.depth * 14}px` }} title={`${span.serviceName}: ${span.name}`}>
          <span class="service-dot" style={{ background: serviceColor(span.serviceName) }} />
          {node.orphan ? <span class="orphan-marker" title="parent span not received">⚠ orphan</span> : null}
          <span class="span-label">{span.name}</span>
          <span class="span-service">{span.serviceName}</span>
        </span>
        <span class="span-track">
          <span class="span-bar" style={{ left: `${left}%`, width: `${width}%`, background: error ? undefined : serviceColor(span.serviceName) }} />
          {span.events.slice(0, MAX_TICKS).map((event, i) => (
            <span key={i} class="span-tick" style={{ left: `${pct(event.timeMs)}%` }} title={event.name} />
          ))}
          <span
            class={`span-duration${left + width > 82 ? ' inside' : ''}`}
            style={left + width > 82 ? { right: `${Math.max(0, 100 - left - width)}%` } : { left: `${left + width}%` }}
          >
            {formatMs(span.endMs - span.startMs)}
            {error && span.statusMessage ? <span class="span-error-text">{` ${span.statusMessage}`}</span> : null}
          </span>
        </span>
      </button>
    );
  };
  return (
    <div class="waterfall">
      <div class="waterfall-header">
        <span class="span-name">{`${tree.rows.length} spans${tree.orphanCount ? ` · ${tree.orphanCount} orphan` : ''}`}</span>
        <span class="span-track waterfall-scale">
          {[0, 0.25, 0.5, 0.75, 1].map((f) => (
            <span key={f} style={{ left: `${f * 100}%` }}>{formatMs(f * total)}</span>
          ))}
        </span>
      </div>
      <VirtualList
        className="waterfall-rows"
        label="Spans"
        items={tree.rows}
        rowHeight={24}
        getKey={(node) => node.span.spanId}
        renderRow={renderRow}
        fallbackHeight={400}
        scrollToIndex={selectedSpanId ? tree.rows.findIndex((node) => node.span.spanId === selectedSpanId) : undefined}
      />
    </div>
  );
}
