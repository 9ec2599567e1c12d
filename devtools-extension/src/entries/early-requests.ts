import type { TraceListing } from '../bridge/trace-listing';
import type { FirstFrame } from './first-frame';

/**
 * The message list, requested and read by a small script inlined in the standalone page's HTML
 * while the panel's module is still downloading and compiling (standalone-early.ts); the entry
 * hands it to the collector adapter.
 */
export const EARLY_LIST_KEY = '__streamtraceEarlyList';

export interface EarlyList {
  /** The list's answer, read (undefined when it carried no rows; rejected when it failed). */
  listing: Promise<TraceListing | undefined>;
  /** The panel's first frame, when the inline script drew it from that list (first-frame.ts). */
  drawn: Promise<FirstFrame | undefined>;
}

/** Leaves `early` for the entry module; a failure waits for the taker, without an unhandled rejection. */
export function leaveEarlyList(early: EarlyList, scope: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): void {
  early.listing.catch(() => undefined);
  early.drawn.catch(() => undefined);
  scope[EARLY_LIST_KEY] = early;
}

/** What the page's inline script left, taken (later calls find nothing). */
export function takeEarlyList(scope: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): EarlyList | undefined {
  const early = scope[EARLY_LIST_KEY] as Partial<EarlyList> | undefined;
  delete scope[EARLY_LIST_KEY];
  return early?.listing instanceof Promise && early.drawn instanceof Promise ? (early as EarlyList) : undefined;
}
