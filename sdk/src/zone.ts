import { context } from '@opentelemetry/api';
import { ZoneContextManager } from '@opentelemetry/context-zone';

/**
 * Opt-in: registers the zone.js context manager globally, so `context.with(message.context, fn)`
 * keeps a message active across async callbacks. Streams then join the active message even when
 * several messages are open at once. Tracing does not need this: without it, streams join the
 * most recent open message, captured synchronously when the stream is opened.
 */
export function enableZoneContext(): boolean {
  const manager = new ZoneContextManager().enable();
  return context.setGlobalContextManager(manager);
}
