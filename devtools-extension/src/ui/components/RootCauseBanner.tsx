import type { RootCause } from '../models/root-cause';
import { formatMs } from '../format';

export function RootCauseBanner({ cause, onSelectSpan }: { cause: RootCause; onSelectSpan: (spanId: string) => void }) {
  if (cause.kind === 'error') {
    return (
      <div class="root-cause is-error" data-kind="error">
        <span class="root-cause-label">Responsible:</span>
        <button type="button" class="link-button root-cause-layer" onClick={() => onSelectSpan(cause.spanId)}>
          {`${cause.service} / ${cause.spanName}`}
        </button>
        {cause.errorType ? <span class="mono">{cause.errorType}</span> : null}
        {cause.message ? <span class="root-cause-message">{cause.message}</span> : null}
      </div>
    );
  }
  return (
    <div class="root-cause" data-kind="largest">
      <span class="root-cause-label">Responsible layer:</span>
      <strong class="root-cause-layer">{cause.label}</strong>
      <span>{`${formatMs(cause.ms)} of ${formatMs(cause.totalMs)} to first visible token (${Math.round(cause.share * 100)}%)`}</span>
    </div>
  );
}
