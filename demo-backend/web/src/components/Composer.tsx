import { useState } from 'preact/hooks';

interface Props {
  busy: boolean;
  canRegenerate: boolean;
  onSend(text: string): void;
  onStop(): void;
  onRegenerate(): void;
}

export function Composer({ busy, canRegenerate, onSend, onStop, onRegenerate }: Props) {
  const [text, setText] = useState('');
  const submit = (event: Event): void => {
    event.preventDefault();
    if (busy || text.trim() === '') return;
    onSend(text);
    setText('');
  };
  return (
    <form class="composer" onSubmit={submit} data-testid="composer">
      <textarea
        value={text}
        rows={1}
        placeholder="Ask something…"
        aria-label="Message"
        data-testid="composer-input"
        onInput={(event) => setText(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) submit(event);
        }}
      />
      <div class="composer-actions">
        {canRegenerate && (
          <button type="button" class="ghost" data-testid="regenerate-button" onClick={onRegenerate}>
            ↻ Regenerate
          </button>
        )}
        {busy ? (
          <button type="button" class="stop" data-testid="stop-button" onClick={onStop}>
            ■ Stop
          </button>
        ) : (
          <button type="submit" class="send" data-testid="send-button" disabled={text.trim() === ''}>
            Send
          </button>
        )}
      </div>
    </form>
  );
}
