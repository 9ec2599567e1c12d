import type { ChunkTimeline as Timeline } from '../models/chunks';
import { formatMs } from '../format';

const WIDTH = 1000;
const HEIGHT = 120;
const ARRIVAL_Y = 38;
const PAINT_Y = 84;
const PAD = 12;

/**
 * Every chunk's arrival (dot) and paint (tick) over time since the stream opened; the slanted
 * line between them is the render latency; stalls (long gaps) are shaded.
 */
export function ChunkTimeline({ timeline }: { timeline: Timeline }) {
  const { points } = timeline;
  if (!points.length) return <div class="empty small">No chunk data for this stream.</div>;
  const span = Math.max(timeline.durationMs, 1);
  const x = (ms: number): number => PAD + (Math.max(0, ms) / span) * (WIDTH - 2 * PAD);
  let links = '';
  let paints = '';
  const stalls: { from: number; to: number }[] = [];
  let previous: number | undefined;
  for (const point of points) {
    if (point.stall && previous !== undefined) stalls.push({ from: previous, to: point.arrivalMs });
    previous = point.arrivalMs;
    if (point.paintMs !== undefined) {
      links += `M${x(point.arrivalMs).toFixed(1)} ${ARRIVAL_Y}L${x(point.paintMs).toFixed(1)} ${PAINT_Y}`;
      paints += `M${x(point.paintMs).toFixed(1)} ${PAINT_Y - 6}V${PAINT_Y + 6}`;
    }
  }
  const latencies = points.map((point) => point.renderLatencyMs).filter((value): value is number => value !== undefined).sort((a, b) => a - b);
  const p50 = latencies.length ? latencies[Math.floor((latencies.length - 1) / 2)] : undefined;
  return (
    <div class="chunk-timeline">
      <div class="chunk-summary">
        <span>{`${points.length} chunks${timeline.source === 'span-events' ? ' (sampled span events)' : ''}`}</span>
        <span>{`first at ${formatMs(points[0]!.arrivalMs)}`}</span>
        <span>{`max gap ${formatMs(timeline.maxGapMs)}`}</span>
        <span class={timeline.stalls ? 'text-warn' : ''}>{`${timeline.stalls} stalls`}</span>
        <span>{`render p50 ${formatMs(p50)} · max ${formatMs(timeline.renderLatencyMaxMs)}`}</span>
      </div>
      <svg class="chunk-svg" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label="Chunk arrivals and paints">
        <text x={2} y={ARRIVAL_Y - 12} class="lane-label">arrival</text>
        <text x={2} y={PAINT_Y + 22} class="lane-label">paint</text>
        <line x1={PAD} x2={WIDTH - PAD} y1={ARRIVAL_Y} y2={ARRIVAL_Y} class="lane" />
        <line x1={PAD} x2={WIDTH - PAD} y1={PAINT_Y} y2={PAINT_Y} class="lane" />
        {stalls.map((stall, i) => (
          <rect key={i} class="stall" x={x(stall.from)} y={ARRIVAL_Y - 16} width={Math.max(2, x(stall.to) - x(stall.from))} height={PAINT_Y - ARRIVAL_Y + 32}>
            <title>{`stall ${formatMs(stall.to - stall.from)}`}</title>
          </rect>
        ))}
        {links ? <path class="render-link" d={links} /> : null}
        {paints ? <path class="chunk-paint" d={paints} /> : null}
        {points.map((point) => (
          <circle key={point.index} class="chunk-point" cx={x(point.arrivalMs)} cy={ARRIVAL_Y} r={3}>
            <title>{`#${point.index} · ${point.bytes} B · +${formatMs(point.arrivalMs)}${point.renderLatencyMs !== undefined ? ` · render ${formatMs(point.renderLatencyMs)}` : ''}`}</title>
          </circle>
        ))}
        <text x={WIDTH - PAD} y={HEIGHT - 2} class="axis-label" text-anchor="end">{formatMs(span)}</text>
        <text x={PAD} y={HEIGHT - 2} class="axis-label">0</text>
      </svg>
    </div>
  );
}
