import { fetchTraceListing, requestTraceListing } from '../bridge/trace-listing';
import { drawFirstFrame } from './first-frame';
import type { FirstFrame } from './first-frame';
import { leaveEarlyList } from './early-requests';
import { embeddedListing } from './embedded-listing';
import { startPanelModuleAfter } from './panel-module';
import { standaloneOptions } from './standalone-options';

// Inlined at the end of the standalone page's <body> (build.mjs) as a classic script, so it runs
// while the panel's module is still downloading and compiling: it reads the message list the
// collector embedded in the page (embedded-listing.ts), else requests it, and draws the panel's
// first frame from it (first-frame.ts); then it starts the panel's module (panel-module.ts), which
// takes the list over and renders over that frame. A page opened on one trace (`?trace=`) is drawn
// by the panel itself.
const { backfillLimit, trace } = standaloneOptions(location.search);
// A page opened on one trace asks for the list beside its trace lookup, as before: reading the
// embedded list here would hold up the start of the panel (and of that lookup).
const embedded = trace ? undefined : embeddedListing(document, backfillLimit);
const listing = embedded
  ? Promise.resolve(embedded)
  : fetchTraceListing(requestTraceListing(location.origin, (input, init) => fetch(input, init), backfillLimit));

const draw = (read: Awaited<typeof listing>): FirstFrame | undefined => {
  const container = document.getElementById('app');
  try {
    return read && container && !trace ? drawFirstFrame(container, read.traces, `collector ${location.origin}`) : undefined;
  } catch (error) {
    // The panel draws itself then; its module must start whatever happened here.
    console.error('[streamtrace] first frame failed', error);
    return undefined;
  }
};
const frame = embedded ? draw(embedded) : undefined;
leaveEarlyList({ listing, drawn: embedded ? Promise.resolve(frame) : listing.then(draw) });
// The panel's module: after the drawn frame, or at once when the list has to be asked for.
startPanelModuleAfter(document, frame !== undefined);
