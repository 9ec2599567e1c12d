import { useEffect, useRef } from 'preact/hooks';
import type { Turn } from '../chat/types.js';
import { AssistantMessage } from './AssistantMessage.js';
import { UserMessage } from './UserMessage.js';

interface Props {
  turns: Turn[];
  collectorUrl: string;
  onRenderTarget(turnId: string, element: Element | null): void;
  onFeedback(turnId: string, value: 'up' | 'down'): void;
  onSuggestion(text: string): void;
}

const SUGGESTIONS = [
  'How does Streamtrace follow one message across fetch, EventSource and WebSocket?',
  'What is the difference between first arrival and first paint of a chunk?',
  'Why must an EventSource be closed after the last event?',
];

export function MessageList({ turns, collectorUrl, onRenderTarget, onFeedback, onSuggestion }: Props) {
  const end = useRef<HTMLDivElement>(null);
  const last = turns[turns.length - 1];
  // Follow the answer as it grows.
  useEffect(() => end.current?.scrollIntoView({ block: 'end' }), [turns.length, last?.answer.length, last?.status]);

  if (turns.length === 0) {
    return (
      <section class="messages empty" data-testid="message-list">
        <div class="welcome">
          <h2>Ask the demo assistant</h2>
          <p>
            Every answer is one trace: the browser message, its stream, the gateway, retrieval and the model. Pick a
            transport, inject a fault, and open the trace link under any answer.
          </p>
          <div class="suggestions">
            {SUGGESTIONS.map((text) => (
              <button type="button" key={text} class="suggestion" onClick={() => onSuggestion(text)}>
                {text}
              </button>
            ))}
          </div>
        </div>
      </section>
    );
  }
  return (
    <section class="messages" data-testid="message-list">
      {turns.map((turn) => (
        <div class="exchange" key={turn.id}>
          {!turn.regenerated && <UserMessage text={turn.question} />}
          <AssistantMessage
            turn={turn}
            collectorUrl={collectorUrl}
            onRenderTarget={onRenderTarget}
            onFeedback={onFeedback}
          />
        </div>
      ))}
      <div ref={end} />
    </section>
  );
}
