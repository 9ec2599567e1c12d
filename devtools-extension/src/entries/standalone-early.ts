import { fetchTraceListing, requestTraceListing } from '../bridge/trace-listing';
import { drawFirstFrame } from './first-frame';
import type { FirstFrame } from './first-frame';
import { leaveEarlyList } from './early-requests';
import { embeddedListing } from './embedded-listing';
import { standaloneOptions } from './standalone-options';

// Inlined at the end of the standalone page's <body> (build.mjs) as a classic script, so it runs
// while the panel's module is still downloading and compiling: it reads the message list the
// collector embedded in the page (embedded-listing.ts), else requests it, and draws the panel's
// first frame from it (first-frame.ts); the panel's module takes the list over and renders over
// that frame. A page opened on one trace (`?trace=`) is drawn by the panel itself.
const { backfillLimit, trace } = standaloneOptions(location.search);
const embedded = embeddedListing(document, backfillLimit);
const listing = embedded
  ? Promise.resolve(embedded)
  : fetchTraceListing(requestTraceListing(location.origin, (input, init) => fetch(input, init), backfillLimit));

const draw = (read: Awaited<typeof listing>): FirstFrame | undefined => {
  const container = document.getElementById('app');
  return read && container && !trace ? drawFirstFrame(container, read.traces, `collector ${location.origin}`) : undefined;
};
leaveEarlyList({ listing, drawn: embedded ? Promise.resolve(draw(embedded)) : listing.then(draw) });
