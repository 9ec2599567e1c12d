import type { TurnStatus } from '../chat/types.js';

const LABELS: Readonly<Record<TurnStatus, string>> = {
  streaming: 'Streaming',
  done: 'Done',
  cancelled: 'Cancelled',
  error: 'Error',
};

export function StatusPill({ status }: { status: TurnStatus }) {
  return (
    <span class={`pill pill-${status}`} data-testid="message-status" data-status={status}>
      {LABELS[status]}
    </span>
  );
}
