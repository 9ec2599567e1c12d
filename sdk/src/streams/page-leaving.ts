import { now } from '../timing/clock.js';

/** How long a failure after `beforeunload` waits for `pagehide`. */
const WAIT_MS = 1_000;

/**
 * When the page last fired `beforeunload`. Navigating away, Chromium fails the page's open fetch
 * bodies and EventSources 15–40 ms before `pagehide` (which ends open streams as cancelled), so a
 * stream failing soon after `beforeunload` waits for `pagehide` a while before it is called failed.
 * (A link to a download fires `beforeunload` too and the page stays: its failures are only late.)
 */
let leavingAt = -1e9;
const leaving = (): void => void (leavingAt = now());

/**
 * `beforeunload` is listened to only while a recorded stream is open: the listener alone keeps a
 * page out of some browsers' back/forward cache.
 */
export const listenForLeaving = (streamsOpen: boolean): void =>
  globalThis[streamsOpen ? 'addEventListener' : 'removeEventListener']?.('beforeunload', leaving);

/**
 * A stream or message is about to end with `outcome`: true when it is an error that may be the page
 * leaving, and `again` (the same end, `held` then true) runs in a second unless `pagehide` ended it first.
 */
export function waitForLeaving(outcome: string, held: boolean, again: () => void): boolean {
  if (outcome !== 'error' || held || now() - leavingAt >= 10_000) return false;
  setTimeout(again, WAIT_MS);
  return true;
}
