import { render } from 'preact';
import type { PanelAdapter } from '../bridge/adapter';
import { App } from './components/App';
import { createPanelStore } from './models/store';
import { createPanelController } from './models/controller';
import type { PanelStore } from './models/store';
import { loadSettings } from './settings';
import type { PanelSettings, SettingsStorage } from './settings';
import { FIRST_FRAME_STYLE, PANEL_CSS, PANEL_STYLE_ATTRIBUTE } from './styles';
import { BURST_RENDER_INTERVAL_MS, browserClock, createRenderSchedule } from './render-schedule';

export interface MountOptions {
  /** Messages (traces) kept in memory; the oldest are dropped beyond it. Default 500. */
  maxMessages?: number;
  defaults?: Partial<PanelSettings>;
  /** Whether the backend query endpoint can be changed (not in the collector's standalone page). */
  showQueryEndpoint?: boolean;
  settingsStorage?: SettingsStorage;
  schedule?: (render: () => void) => void;
  /** A trace to open at start (looked up through the adapter, like a click on a message). */
  initialTrace?: string;
  /** Search text and "all traces" at start (what was typed into the standalone page's first frame). */
  initialSearch?: string;
  initialAllTraces?: boolean;
}

export interface MountArgs {
  adapter: PanelAdapter;
  container: HTMLElement;
  options?: MountOptions;
}

export interface MountedPanel {
  store: PanelStore;
  unmount(): void;
}


function defaultStorage(): SettingsStorage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

export function mount({ adapter, container, options = {} }: MountArgs): MountedPanel {
  const store = createPanelStore({ maxTraces: options.maxMessages ?? 500 });
  const settingsStorage = options.settingsStorage ?? defaultStorage();
  const settings = loadSettings(settingsStorage, {
    queryBaseUrl: options.defaults?.queryBaseUrl ?? 'http://127.0.0.1:4318',
    traceUrlTemplate: options.defaults?.traceUrlTemplate ?? '',
  });
  // The standalone page's first frame (entries/first-frame.ts) may have added the stylesheet: it is
  // taken over (once), else each panel adds its own.
  const head = container.ownerDocument.head;
  const found = head.querySelector<HTMLStyleElement>(`style[${PANEL_STYLE_ATTRIBUTE}="${FIRST_FRAME_STYLE}"]`);
  const style = found ?? container.ownerDocument.createElement('style');
  style.setAttribute(PANEL_STYLE_ATTRIBUTE, '');
  if (!found) {
    style.textContent = PANEL_CSS;
    head.appendChild(style);
  }
  container.classList.add('st-container');
  const controller = createPanelController(adapter, store);
  render(
    <App
      controller={controller}
      settings={settings}
      settingsStorage={settingsStorage}
      showQueryEndpoint={options.showQueryEndpoint ?? true}
      initialTrace={options.initialTrace}
      initialSearch={options.initialSearch}
      initialAllTraces={options.initialAllTraces}
      schedule={options.schedule ?? createRenderSchedule(BURST_RENDER_INTERVAL_MS, browserClock)}
    />,
    container,
  );
  return {
    store,
    unmount() {
      render(null, container);
      controller.dispose();
      style.remove();
      adapter.dispose?.();
    },
  };
}
