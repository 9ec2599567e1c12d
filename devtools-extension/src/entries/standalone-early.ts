import { listingUrl } from '../bridge/trace-listing';
import { EARLY_REQUESTS_KEY, startEarlyRequests } from './early-requests';
import { standaloneOptions } from './standalone-options';

// Inlined into the standalone page's HTML (build.mjs) as a classic script, so the message list is
// requested while the HTML is still being parsed, before the panel's modules have even downloaded.
const { backfillLimit } = standaloneOptions(location.search);
(globalThis as unknown as Record<string, unknown>)[EARLY_REQUESTS_KEY] = startEarlyRequests([listingUrl(location.origin, backfillLimit)], (input, init) => fetch(input, init));
