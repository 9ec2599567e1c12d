import { listingRowsView } from '../bridge/listing-rows';
import { fetchTraceListing, requestTraceListing } from '../bridge/trace-listing';
import type { TraceListItem, TraceListing } from '../bridge/trace-listing';
import { FIRST_FRAME_ROWS, drawFirstFrame } from './first-frame';
import type { FirstFrame, FirstFrameView } from './first-frame';
import { leaveEarlyList } from './early-requests';
import { embeddedBody, readEmbedded } from './embedded-listing';
import { afterNextFrame, startPanelModuleAfter } from './panel-module';
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
const body = trace ? undefined : embeddedBody(document, backfillLimit);
const request = (): Promise<TraceListing | undefined> =>
  fetchTraceListing(requestTraceListing(location.origin, (input, init) => fetch(input, init), backfillLimit));
// The compact list: the first frame reads only the rows it shows; the whole list is read after
// that frame (the panel's module starts after it too). Otherwise the list is read (or asked for) now.
const view = body === undefined ? undefined : listingRowsView(body, FIRST_FRAME_ROWS);
const read = body === undefined || view ? undefined : readEmbedded(body);
const listing: Promise<TraceListing | undefined> = view
  ? new Promise((resolve) => afterNextFrame(() => resolve(readEmbedded(body) ?? request())))
  : read ? Promise.resolve(read) : request();

const draw = (shown: TraceListItem[] | FirstFrameView | undefined): FirstFrame | undefined => {
  const container = document.getElementById('app');
  try {
    return shown && container && !trace ? drawFirstFrame(container, shown, `collector ${location.origin}`) : undefined;
  } catch (error) {
    // The panel draws itself then; its module must start whatever happened here.
    console.error('[streamtrace] first frame failed', error);
    return undefined;
  }
};
const frame = view ? draw(view) : read ? draw(read.traces) : undefined;
leaveEarlyList({ listing, drawn: view || read ? Promise.resolve(frame) : listing.then((answer) => draw(answer?.traces)) });
// The panel's module: after the drawn frame, or at once when the list has to be asked for.
startPanelModuleAfter(document, frame !== undefined);
