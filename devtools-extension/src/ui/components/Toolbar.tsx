import type { AdapterStatus } from '../../bridge/adapter';

export interface ToolbarProps {
  status: AdapterStatus;
  count: number;
  shown: number;
  dropped: number;
  paused: boolean;
  pending: number;
  search: string;
  sessions: string[];
  session: string;
  conversations: string[];
  conversation: string;
  /** Whether the filters list their options yet (else only "All …" and the chosen one). */
  filterOptions: boolean;
  /** Times the inspected page navigated since the panel opened (shown data is kept). */
  navigations: number;
  onSearch: (value: string) => void;
  onSession: (value: string) => void;
  onConversation: (value: string) => void;
  allTraces: boolean;
  onAllTraces: (value: boolean) => void;
  onPause: () => void;
  onClear: () => void;
  onSettings: () => void;
}

/** The choices a filter shows: all of them, or (until the list has been painted) only the chosen one. */
const choices = (values: string[], chosen: string, all: boolean): string[] => (all ? values : chosen ? [chosen] : []);

export function Toolbar(props: ToolbarProps) {
  const { status } = props;
  return (
    <div class="toolbar" role="toolbar">
      <span class="brand">Streamtrace</span>
      <span class={`conn conn-${status.state}`} title={status.detail ?? status.source}>
        <span class="conn-dot" />
        {`${status.state} · ${status.source}`}
      </span>
      <input
        class="search"
        type="search"
        placeholder="Search trace, message or session id"
        value={props.search}
        onInput={(event) => props.onSearch((event.currentTarget as HTMLInputElement).value)}
      />
      <select class="session-filter" value={props.session} onChange={(event) => props.onSession((event.currentTarget as HTMLSelectElement).value)} aria-label="Session">
        <option value="">All sessions</option>
        {choices(props.sessions, props.session, props.filterOptions).map((session) => (
          <option key={session} value={session}>{session}</option>
        ))}
      </select>
      {props.conversations.length > 1 || props.conversation ? (
        <select class="conversation-filter" value={props.conversation} onChange={(event) => props.onConversation((event.currentTarget as HTMLSelectElement).value)} aria-label="Conversation">
          <option value="">All conversations</option>
          {choices(props.conversations, props.conversation, props.filterOptions).map((conversation) => (
            <option key={conversation} value={conversation}>{conversation}</option>
          ))}
        </select>
      ) : null}
      <label class="all-traces" title="also list traces without a chat message (web vitals, backend-only requests)">
        <input type="checkbox" checked={props.allTraces} onChange={(event) => props.onAllTraces((event.currentTarget as HTMLInputElement).checked)} />
        all traces
      </label>
      <span class="counts">
        {props.shown === props.count ? `${props.count} traces` : `${props.shown} of ${props.count} traces`}
        {props.dropped ? <span class="dropped" title="oldest messages dropped to bound memory">{` · ${props.dropped} dropped`}</span> : null}
        {props.navigations ? <span title="the inspected page navigated; earlier messages are kept">{` · page reloaded ×${props.navigations}`}</span> : null}
      </span>
      <span class="spacer" />
      <button type="button" class={`tb-button${props.paused ? ' active' : ''}`} onClick={props.onPause} aria-pressed={props.paused}>
        {props.paused ? `Resume${props.pending ? ` (${props.pending})` : ''}` : 'Pause'}
      </button>
      <button type="button" class="tb-button" onClick={props.onClear}>Clear</button>
      <button type="button" class="tb-button" onClick={props.onSettings} aria-label="Settings">Settings</button>
    </div>
  );
}
