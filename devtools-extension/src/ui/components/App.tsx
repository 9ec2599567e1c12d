import { useEffect, useMemo, useState } from 'preact/hooks';
import type { PanelController } from '../models/controller';
import { distinctValues, filterMessages } from '../models/messages';
import { countSpans } from '../../bridge/trace-shapes';
import type { PanelSettings, SettingsStorage } from '../settings';
import { saveSettings } from '../settings';
import { MessageList } from './MessageList';
import { Toolbar } from './Toolbar';
import { TraceView } from './TraceView';
import { SettingsForm } from './SettingsForm';
import { Dashboard } from './Dashboard';
import { useOnceAfterPaint } from './after-paint';

export interface AppProps {
  controller: PanelController;
  settings: PanelSettings;
  settingsStorage?: SettingsStorage;
  showQueryEndpoint: boolean;
  /** Batches changes into one render; tests pass a synchronous one. */
  schedule: (render: () => void) => void;
  /** Selected at start: its spans are looked up through the adapter. */
  initialTrace?: string | undefined;
  /** Search text and "all traces" at start (typed into the standalone page's first frame). */
  initialSearch?: string | undefined;
  initialAllTraces?: boolean | undefined;
}

export function App({ controller, settings: initialSettings, settingsStorage, showQueryEndpoint, schedule, initialTrace, initialSearch, initialAllTraces }: AppProps) {
  const { adapter, store } = controller;
  const [, setTick] = useState(0);
  const [selected, setSelected] = useState<string | undefined>(initialTrace);
  const [search, setSearch] = useState(initialSearch ?? '');
  const [session, setSession] = useState('');
  const [conversation, setConversation] = useState('');
  const [allTraces, setAllTraces] = useState(initialAllTraces ?? false);
  const [showSettings, setShowSettings] = useState(false);
  const [settings, setSettings] = useState(initialSettings);
  const [lookup, setLookup] = useState('');
  const [refreshes, setRefreshes] = useState(0);
  const [tab, setTab] = useState<'messages' | 'dashboard'>('messages');
  const fetchLogs = useMemo(() => (adapter.fetchLogs ? adapter.fetchLogs.bind(adapter) : undefined), [adapter]);
  const fetchDashboard = useMemo(() => (adapter.fetchDashboard ? adapter.fetchDashboard.bind(adapter) : undefined), [adapter, adapter.fetchDashboard]);

  useEffect(() => {
    let queued = false;
    const unsubscribe = controller.subscribe(() => {
      if (queued) return;
      queued = true;
      schedule(() => {
        queued = false;
        setTick((tick) => tick + 1);
      });
    });
    // Whatever arrived between mount and this effect.
    setTick((tick) => tick + 1);
    return unsubscribe;
  }, [controller]);

  useEffect(() => {
    adapter.setQueryEndpoint?.(settings.queryBaseUrl);
  }, [adapter, settings.queryBaseUrl]);

  // Backend spans for the selected trace, polled until the trace settles.
  useEffect(() => {
    if (!selected) return undefined;
    const controller = new AbortController();
    setLookup('looking up backend spans…');
    adapter
      .fetchTrace(selected, {
        signal: controller.signal,
        onProgress: (resourceSpans) => {
          if (controller.signal.aborted) return;
          store.addSpans(resourceSpans);
          setLookup(`backend: ${countSpans(resourceSpans)} spans, settling…`);
        },
      })
      .then((resourceSpans) => {
        if (controller.signal.aborted) return;
        if (resourceSpans) store.addSpans(resourceSpans);
        setLookup(resourceSpans ? `backend: ${countSpans(resourceSpans)} spans` : 'backend: trace not found');
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setLookup(`backend lookup failed: ${error instanceof Error ? error.message : String(error)}`);
      });
    return () => controller.abort();
  }, [adapter, selected, refreshes]);

  const rows = store.rows();
  const shown = useMemo(
    () => filterMessages(rows, { chatOnly: !allTraces, search, sessionId: session, conversationId: conversation }),
    [store.version, search, session, conversation, allTraces],
  );
  const sessions = useMemo(() => distinctValues(rows, 'sessionId'), [store.version]);
  const conversations = useMemo(() => distinctValues(rows, 'conversationId'), [store.version]);
  // The filters' <option>s (one per session and per conversation: ~160 of the ~440 elements of a
  // 1,000-message list) are not needed to see the list, so they join it once it has been painted.
  const filterOptions = useOnceAfterPaint(rows.length > 0);
  // A trace listed without spans shows "Loading…" until the lookup below brings them.
  const held = selected ? store.get(selected) : undefined;
  const trace = held?.spans.size ? held : undefined;

  return (
    <div class="st-root">
      <Toolbar
        status={controller.status()}
        count={rows.length}
        shown={shown.length}
        dropped={store.dropped}
        paused={controller.paused}
        pending={controller.pending}
        search={search}
        sessions={sessions}
        session={session}
        conversations={conversations}
        filterOptions={filterOptions}
        conversation={conversation}
        navigations={controller.navigations}
        onSearch={setSearch}
        onSession={setSession}
        onConversation={setConversation}
        allTraces={allTraces}
        onAllTraces={setAllTraces}
        onPause={() => controller.setPaused(!controller.paused)}
        onClear={() => {
          controller.clear();
          setSelected(undefined);
        }}
        onSettings={() => setShowSettings(!showSettings)}
      />
      {showSettings ? (
        <SettingsForm
          settings={settings}
          showQueryEndpoint={showQueryEndpoint}
          onClose={() => setShowSettings(false)}
          onSave={(next) => {
            // Called here, inside the click, so the extension may ask for host access.
            if (next.queryBaseUrl !== settings.queryBaseUrl) adapter.setQueryEndpoint?.(next.queryBaseUrl);
            setSettings(next);
            saveSettings(settingsStorage, next);
            setShowSettings(false);
          }}
        />
      ) : null}
      {fetchDashboard ? (
        <div class="tabs" role="tablist">
          <button type="button" role="tab" class={`tab${tab === 'messages' ? ' active' : ''}`} aria-selected={tab === 'messages'} onClick={() => setTab('messages')}>Messages</button>
          <button type="button" role="tab" class={`tab${tab === 'dashboard' ? ' active' : ''}`} aria-selected={tab === 'dashboard'} onClick={() => setTab('dashboard')}>Dashboard</button>
        </div>
      ) : null}
      {fetchDashboard && tab === 'dashboard' ? (
        <div class="st-dashboard">
          <Dashboard
            fetchDashboard={fetchDashboard}
            onOpenTrace={(traceId) => {
              setSelected(traceId);
              setTab('messages');
            }}
          />
        </div>
      ) : (
      <div class="st-main">
        <section class="st-list">
          <MessageList rows={shown} selected={selected} onSelect={setSelected} />
        </section>
        <section class="st-detail">
          {trace ? (
            <TraceView
              key={trace.traceId}
              trace={trace}
              version={trace.version}
              lookup={lookup}
              traceUrlTemplate={settings.traceUrlTemplate}
              onRefresh={() => setRefreshes((n) => n + 1)}
              {...(fetchLogs ? { fetchLogs } : {})}
            />
          ) : selected ? (
            <div class="empty">{`Loading trace ${selected}… ${lookup}`}</div>
          ) : (
            <div class="empty">{rows.length ? 'Select a message to see its trace.' : 'Waiting for traced chat messages…'}</div>
          )}
        </section>
      </div>
      )}
    </div>
  );
}
