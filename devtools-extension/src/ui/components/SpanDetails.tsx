import type { SpanRecord } from '../models/span-record';
import { STATUS_ERROR, formatAttr } from '../models/span-record';
import { formatMs } from '../format';

const KIND_NAMES = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

export interface SpanDetailsProps {
  span: SpanRecord;
  traceStartMs: number;
  onClose: () => void;
}

/** Every value is rendered as a text node: span content from pages and servers is untrusted. */
export function SpanDetails({ span, traceStartMs, onClose }: SpanDetailsProps) {
  const attributes = Object.entries(span.attributes).sort(([a], [b]) => a.localeCompare(b));
  return (
    <aside class="span-details" aria-label="Span details">
      <header>
        <strong>{span.name}</strong>
        <button type="button" class="icon-button" onClick={onClose} aria-label="Close details">×</button>
      </header>
      <dl class="kv">
        <dt>service</dt><dd>{span.serviceName}</dd>
        <dt>kind</dt><dd>{KIND_NAMES[span.kind] ?? String(span.kind)}</dd>
        <dt>span id</dt><dd class="mono">{span.spanId}</dd>
        <dt>parent</dt><dd class="mono">{span.parentSpanId ?? '—'}</dd>
        <dt>start</dt><dd>{`+${formatMs(span.startMs - traceStartMs)}`}</dd>
        <dt>duration</dt><dd>{formatMs(span.endMs - span.startMs)}</dd>
        <dt>status</dt>
        <dd class={span.statusCode === STATUS_ERROR ? 'text-error' : ''}>
          {span.statusCode === STATUS_ERROR ? `error${span.statusMessage ? `: ${span.statusMessage}` : ''}` : span.statusCode === 1 ? 'ok' : 'unset'}
        </dd>
      </dl>
      <h4>{`Attributes (${attributes.length})`}</h4>
      <dl class="kv attributes">
        {attributes.map(([key, value]) => [<dt key={`k${key}`}>{key}</dt>, <dd key={`v${key}`}>{formatAttr(value)}</dd>])}
      </dl>
      {span.events.length ? <h4>{`Events (${span.events.length})`}</h4> : null}
      <ul class="events">
        {span.events.slice(0, 500).map((event, i) => (
          <li key={i}>
            <span class="event-time">{`+${formatMs(event.timeMs - span.startMs)}`}</span>
            <span class="event-name">{event.name}</span>
            <span class="event-attrs">
              {Object.entries(event.attributes).map(([key, value]) => `${key}=${formatAttr(value)}`).join('  ')}
            </span>
          </li>
        ))}
      </ul>
    </aside>
  );
}
