import { register } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';

/**
 * Registers the import-in-the-middle loader so instrumentations can patch ES modules
 * (including `node:http` imported by name). The message channel limits the loader to modules
 * an instrumentation asked for; the returned function resolves once the loader has
 * acknowledged every hook registered so far — await it before importing application code.
 */
export function registerEsmHook(): () => Promise<void> {
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, registerOptions);
  return waitForAllMessagesAcknowledged;
}
