import { requestTraceListing } from '../bridge/trace-listing';
import { leaveEarlyList } from './early-requests';
import { standaloneOptions } from './standalone-options';

// Inlined into the standalone page's HTML (build.mjs) as a classic script, so the message list is
// requested while the HTML is still being parsed, before the panel's modules have even downloaded.
const { backfillLimit } = standaloneOptions(location.search);
leaveEarlyList(requestTraceListing(location.origin, (input, init) => fetch(input, init), backfillLimit));
