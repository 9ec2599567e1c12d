/** Page ↔ DevTools protocol version 1 (docs/architecture.md). */
export const PROTOCOL_VERSION = 1;
export const DEVTOOLS_SOURCE = 'streamtrace-devtools';
export const SDK_SOURCE = 'streamtrace-sdk';

/** `data` of a page message (structured-cloned: never a function); a primitive has none of these properties. */
export function isHello(data: unknown): boolean {
  const message = data as { source?: unknown; version?: unknown; type?: unknown } | null | undefined;
  return message?.source === DEVTOOLS_SOURCE && message.version === PROTOCOL_VERSION && message.type === 'hello';
}
