import type { Streamtrace } from '../sdk.js';
import { createPageHook, type PageHookOptions } from './hook.js';
import { INTERNAL } from '../internal.js';

/**
 * Connects an SDK instance to the Streamtrace DevTools panel. Until the panel's content script
 * says hello, this only listens; afterwards ended spans and chunk series are posted to the page.
 */
export function enableDevtools(sdk: Streamtrace, options?: PageHookOptions): void {
  const internal = sdk[INTERNAL];
  if (internal === undefined || internal.devtools.hook !== undefined) return;
  internal.devtools.hook = createPageHook(options);
}

export { createPageHook };
export type { PageHookOptions };
