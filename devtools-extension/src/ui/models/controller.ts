import type { AdapterStatus, PanelAdapter, PanelEvent } from '../../bridge/adapter';
import type { PanelStore } from './store';

/** Events kept while paused; beyond it the oldest are dropped (the source may still have them). */
export const MAX_PAUSED_EVENTS = 5000;

export interface PanelController {
  readonly store: PanelStore;
  readonly adapter: PanelAdapter;
  status(): AdapterStatus;
  readonly paused: boolean;
  readonly pending: number;
  readonly navigations: number;
  setPaused(paused: boolean): void;
  clear(): void;
  /** Called on any change (store, status, pause). */
  subscribe(listener: () => void): () => void;
  dispose(): void;
}

/**
 * Connects an adapter to the store from the moment the panel is created (before any component
 * mounts), so no event is lost, and owns pause/clear.
 */
export function createPanelController(adapter: PanelAdapter, store: PanelStore): PanelController {
  const listeners = new Set<() => void>();
  const pending: PanelEvent[] = [];
  let status = adapter.status();
  let paused = false;
  let navigations = 0;
  const notify = (): void => {
    for (const listener of [...listeners]) listener();
  };
  const unsubscribeAdapter = adapter.subscribe((event) => {
    if (event.type === 'status') {
      status = event.status;
      notify();
    } else if (event.type === 'navigated') {
      navigations += 1;
      notify();
    } else if (paused) {
      pending.push(event);
      if (pending.length > MAX_PAUSED_EVENTS) pending.shift();
      notify();
    } else store.ingest(event);
  });
  const unsubscribeStore = store.subscribe(notify);
  return {
    store,
    adapter,
    status: () => status,
    get paused() {
      return paused;
    },
    get pending() {
      return pending.length;
    },
    get navigations() {
      return navigations;
    },
    setPaused(next) {
      paused = next;
      if (!next) for (const event of pending.splice(0)) store.ingest(event);
      notify();
    },
    clear() {
      pending.length = 0;
      store.clear();
      adapter.clear?.();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    dispose() {
      unsubscribeAdapter();
      unsubscribeStore();
      listeners.clear();
    },
  };
}
