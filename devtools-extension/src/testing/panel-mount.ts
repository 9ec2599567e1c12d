import { afterEach } from 'vitest';
import { act } from 'preact/test-utils';
import { mount } from '../ui/mount';
import type { MountOptions, MountedPanel } from '../ui/mount';
import type { PanelAdapter } from '../bridge/adapter';

/** Renders synchronously: tests see every change at once. */
export const sync = (fn: () => void): void => fn();

/** act() runs pending effects and renders, as a browser would by the next frame. */
export const flush = (): Promise<void> => act(async () => {});

export const memoryStorage = () => {
  const map = new Map<string, string>();
  return { getItem: (key: string) => map.get(key) ?? null, setItem: (key: string, value: string) => void map.set(key, value) };
};

export const click = (element: Element | null | undefined): void => {
  if (!element) throw new Error('element not found');
  (element as HTMLElement).click();
};

let mounted: MountedPanel | undefined;

/** Unmounts whatever `mountPanel` mounted after each test of the calling file. */
export function unmountAfterEach(): void {
  afterEach(() => {
    mounted?.unmount();
    mounted = undefined;
    document.body.innerHTML = '';
  });
}

/** Mounts the panel on `adapter` in a fresh container, rendering synchronously, settings in memory. */
export function mountPanel(adapter: PanelAdapter, options: MountOptions = {}): { container: HTMLElement; panel: MountedPanel } {
  const container = document.createElement('div');
  document.body.appendChild(container);
  act(() => {
    mounted = mount({ adapter, container, options: { schedule: sync, settingsStorage: memoryStorage(), ...options } });
  });
  return { container, panel: mounted! };
}
