import { useLayoutEffect, useRef } from 'preact/hooks';
import type { Turn } from '../chat/types.js';
import { TRANSPORT_LABELS } from '../settings.js';
import { ThumbDown, ThumbUp } from './Icons.js';
import { StatusPill } from './StatusPill.js';

interface Props {
  turn: Turn;
  collectorUrl: string;
  onRenderTarget(turnId: string, element: Element | null): void;
  onFeedback(turnId: string, value: 'up' | 'down'): void;
}

export function AssistantMessage({ turn, collectorUrl, onRenderTarget, onFeedback }: Props) {
  const body = useRef<HTMLDivElement>(null);
  // Registered once, before any stream event can arrive, so the SDK sees every chunk paint.
  useLayoutEffect(() => onRenderTarget(turn.id, body.current), [turn.id, onRenderTarget]);

  const streaming = turn.status === 'streaming';
  return (
    <article
      class={`turn assistant status-${turn.status}`}
      data-testid="assistant-message"
      data-status={turn.status}
      data-trace-id={turn.traceId}
      data-message-id={turn.id}
      data-server-trace-id={turn.serverTraceId}
      data-chunks={turn.chunks}
      data-server-events={turn.serverEvents}
      data-transport={turn.transport}
      data-fault={turn.fault}
      data-feedback={turn.feedback}
    >
      <div class="avatar" aria-hidden="true">
        ✦
      </div>
      <div class="bubble-column">
        <div class="bubble">
          {turn.regenerated && <span class="tag">Regenerated</span>}
          <div
            class={`answer ${streaming ? 'typing' : ''}`}
            ref={body}
            data-testid="answer"
            data-streamtrace-message={turn.id}
            aria-live="polite"
          >
            {/* Nothing (not even an empty text node) until the first token: Preact rewrites an
                empty text node on every render, which would look like a paint to the SDK. */}
            {turn.answer === '' ? null : turn.answer}
          </div>
          {streaming && turn.answer === '' && <Dots />}
          {turn.error !== undefined && (
            <p class="error-text" role="alert" data-testid="message-error">
              {turn.error}
            </p>
          )}
        </div>
        <footer class="turn-footer">
          <StatusPill status={turn.status} />
          <span class="meta" data-testid="message-meta">
            {TRANSPORT_LABELS[turn.transport]}
            {turn.fault !== 'none' && <> · fault {turn.fault}</>}
            {turn.firstTokenMs !== undefined && <> · first token {turn.firstTokenMs} ms</>}
            {turn.durationMs !== undefined && <> · {turn.durationMs} ms</>}
            <> · {turn.chunks} events</>
          </span>
          <a
            class="trace-link"
            href={`${collectorUrl}/#trace=${turn.traceId}`}
            target="_blank"
            rel="noreferrer"
            data-testid="trace-link"
            title={`Open trace ${turn.traceId} in the collector panel`}
          >
            trace {turn.traceId.slice(0, 8)}…
          </a>
          <span class="feedback" role="group" aria-label="Rate this answer">
            <button
              type="button"
              class={turn.feedback === 'up' ? 'on' : ''}
              aria-pressed={turn.feedback === 'up'}
              aria-label="Good answer"
              data-testid="feedback-up"
              disabled={streaming}
              onClick={() => onFeedback(turn.id, 'up')}
            >
              <ThumbUp />
            </button>
            <button
              type="button"
              class={turn.feedback === 'down' ? 'on' : ''}
              aria-pressed={turn.feedback === 'down'}
              aria-label="Bad answer"
              data-testid="feedback-down"
              disabled={streaming}
              onClick={() => onFeedback(turn.id, 'down')}
            >
              <ThumbDown />
            </button>
          </span>
        </footer>
      </div>
    </article>
  );
}

function Dots() {
  return (
    <span class="dots" aria-label="Waiting for the first token">
      <i />
      <i />
      <i />
    </span>
  );
}
