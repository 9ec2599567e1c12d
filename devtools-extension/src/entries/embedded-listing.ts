import { readListingRows } from '../bridge/listing-rows';
import { readTraceListing } from '../bridge/trace-listing';
import type { TraceListing } from '../bridge/trace-listing';

/**
 * The dev collector serving the standalone page puts the message list it would answer to
 * `GET /api/traces?limit=N` into the page (in its compact `rows-1` form, listing-rows.ts, or as
 * that answer), where the page marks the spot with EMBEDDED_LISTING_MARKER:
 * `<script type="application/json" id="streamtrace-listing" data-limit="N">`. The page then lists
 * without a request (the list is ready when the page's first script runs).
 */
export const EMBEDDED_LISTING_ID = 'streamtrace-listing';
export const EMBEDDED_LISTING_MARKER = '<!--streamtrace:listing-->';

/** The embedded list's JSON when the page has one for `limit`; undefined when there is none, it was made for another limit, or it is not JSON. */
export function embeddedBody(document: Document, limit: number): unknown {
  const element = document.getElementById(EMBEDDED_LISTING_ID);
  if (!element || element.getAttribute('data-limit') !== String(limit)) return undefined;
  try {
    return JSON.parse(element.textContent ?? '') as unknown;
  } catch {
    return undefined;
  }
}

/** An embedded list's JSON read as a list (either form); undefined when it does not read as one. */
export const readEmbedded = (body: unknown): TraceListing | undefined => readListingRows(body) ?? readTraceListing(body);

/**
 * The embedded list when the page has one for `limit`; undefined when there is none, it was made
 * for another limit, or it does not read as a list (the page then asks for the list).
 */
export function embeddedListing(document: Document, limit: number): TraceListing | undefined {
  const body = embeddedBody(document, limit);
  return body === undefined ? undefined : readEmbedded(body);
}
