/** Page ↔ DevTools protocol version 1 (docs/architecture.md). */
export const PROTOCOL_VERSION = 1;
export const DEVTOOLS_SOURCE = 'streamtrace-devtools';
export const SDK_SOURCE = 'streamtrace-sdk';

export function isHello(data: unknown): boolean {
  if (typeof data !== 'object' || data === null) return false;
  const message = data as { source?: unknown; version?: unknown; type?: unknown };
  return message.source === DEVTOOLS_SOURCE && message.version === PROTOCOL_VERSION && message.type === 'hello';
}
