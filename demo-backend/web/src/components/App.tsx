import { useCallback, useState } from 'preact/hooks';
import type { Streamtrace } from '../chat/types.js';
import { useChat } from '../chat/use-chat.js';
import type { PageConfig } from '../config.js';
import { currentConversationId, newConversationId } from '../conversation.js';
import { readSettings, writeSettings } from '../settings.js';
import type { Settings } from '../settings.js';
import { Composer } from './Composer.js';
import { Controls } from './Controls.js';
import { MessageList } from './MessageList.js';

interface Props {
  st: Streamtrace;
  config: PageConfig;
}

export function App({ st, config }: Props) {
  const [settings, setSettings] = useState<Settings>(() => readSettings());
  const [conversationId, setConversationId] = useState(currentConversationId);
  return (
    <Conversation
      key={conversationId}
      st={st}
      config={config}
      settings={settings}
      conversationId={conversationId}
      onSettings={(next) => {
        writeSettings(next);
        setSettings(next);
      }}
      onNewChat={() => setConversationId(newConversationId())}
    />
  );
}

interface ConversationProps extends Props {
  settings: Settings;
  conversationId: string;
  onSettings(settings: Settings): void;
  onNewChat(): void;
}

function Conversation({ st, config, settings, conversationId, onSettings, onNewChat }: ConversationProps) {
  const chat = useChat(st, config.gatewayUrl, conversationId, settings);
  const last = chat.turns[chat.turns.length - 1];
  const onSuggestion = useCallback((text: string) => chat.send(text), [chat.send]);
  return (
    <div class="app" data-testid="chat-app" data-conversation-id={conversationId} data-session-id={st.session.id}>
      <header class="topbar">
        <div class="brand">
          <span class="logo" aria-hidden="true">
            ≋
          </span>
          <div>
            <h1>Streamtrace demo chat</h1>
            <p class="subtitle">
              session <code data-testid="session-id">{st.session.id.slice(0, 8)}</code> · conversation{' '}
              <code data-testid="conversation-id">{conversationId.slice(5, 13)}</code>
            </p>
          </div>
        </div>
        <div class="topbar-actions">
          <a class="ghost link" href={`${config.collectorUrl}/`} target="_blank" rel="noreferrer">
            Trace panel ↗
          </a>
          <button type="button" class="ghost" data-testid="new-chat" disabled={chat.busy} onClick={onNewChat}>
            New chat
          </button>
        </div>
      </header>
      <Controls settings={settings} disabled={chat.busy} onChange={onSettings} />
      <main class="thread">
        <MessageList
          turns={chat.turns}
          collectorUrl={config.collectorUrl}
          onRenderTarget={chat.renderTarget}
          onFeedback={chat.feedback}
          onSuggestion={onSuggestion}
        />
      </main>
      <Composer
        busy={chat.busy}
        canRegenerate={last !== undefined && !chat.busy}
        onSend={chat.send}
        onStop={chat.stop}
        onRegenerate={chat.regenerate}
      />
    </div>
  );
}
