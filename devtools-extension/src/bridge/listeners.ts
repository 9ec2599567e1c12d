import type { PanelEvent } from './adapter';

export interface ListenerSet {
  add(listener: (event: PanelEvent) => void): () => void;
  emit(event: PanelEvent): void;
  readonly size: number;
}

/** A listener that throws must not stop delivery to the others. */
export function createListenerSet(onError: (error: unknown) => void = () => {}): ListenerSet {
  const listeners = new Set<(event: PanelEvent) => void>();
  return {
    add(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    emit(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (error) {
          onError(error);
        }
      }
    },
    get size() {
      return listeners.size;
    },
  };
}
