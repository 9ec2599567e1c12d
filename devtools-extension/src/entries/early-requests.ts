/**
 * The message list's request, started by a small script inlined in the standalone page's HTML while
 * the panel's module is still downloading and compiling; the entry hands it to the collector adapter.
 */
export const EARLY_LIST_KEY = '__streamtraceEarlyList';

/** Leaves `request` for the entry module; a failure waits for the taker, without an unhandled rejection. */
export function leaveEarlyList(request: Promise<Response>, scope: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): void {
  request.catch(() => undefined);
  scope[EARLY_LIST_KEY] = request;
}

/** The request the page's inline script started, taken (later calls find none). */
export function takeEarlyList(scope: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): Promise<Response> | undefined {
  const early = scope[EARLY_LIST_KEY];
  delete scope[EARLY_LIST_KEY];
  return early instanceof Promise ? (early as Promise<Response>) : undefined;
}
