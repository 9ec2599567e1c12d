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
 * A stream or message is about to end with `outcome`; `held`: an earlier error of it is waiting here.
 * True when it must not end now: an error that may be the page leaving (`again`, the same end, runs
 * in a second unless `pagehide` ended it first), or a `complete` after a held error (the app closing
 * its stream or ending its message after the failure does not undo it).
 */
export function waitForLeaving(outcome: string, held: boolean, again: () => void): boolean {
  if (held) return outcome === 'complete';
  if (outcome !== 'error' || now() - leavingAt >= 10_000) return false;
  setTimeout(again, WAIT_MS);
  return true;
}
