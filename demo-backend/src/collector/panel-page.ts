import { readFile, realpath, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

// The standalone panel's page (`GET /`) with the message list it loads at start already in it:
// the page then draws its list without a request of its own (devtools-extension
// src/entries/embedded-listing.ts reads it). The list is what `GET /api/traces?limit=N` answers
// at that moment, in the compact form of panel-rows.ts (with lastEventId, so the page's live feed
// resumes without a gap).

/** Where the panel's index.html asks for the list; a page without it is served as it is. */
export const LISTING_MARKER = '<!--streamtrace:listing-->';
export const LISTING_ELEMENT_ID = 'streamtrace-listing';

const DEFAULT_LIST = 100;
const MAX_LIST = 1000;

/**
 * The list the standalone panel loads at start for its URL (its standalone-options.ts):
 * `?messages=N` → min(N, 1000), anything else → 100. A page whose own rule differs sees another
 * `data-limit` and asks for its list as before.
 */
export function panelListLimit(params: URLSearchParams): number {
  const raw = params.get('messages');
  const value = raw === null || raw.trim() === '' ? Number.NaN : Number(raw);
  return Number.isInteger(value) && value >= 1 ? Math.min(MAX_LIST, value) : DEFAULT_LIST;
}

/** The page's two parts around its marker; undefined when it has none. */
export function splitAtMarker(html: string): [string, string] | undefined {
  const at = html.indexOf(LISTING_MARKER);
  return at < 0 ? undefined : [html.slice(0, at), html.slice(at + LISTING_MARKER.length)];
}

/**
 * `listing` as `<script type="application/json" id="streamtrace-listing" data-limit="N">`; `<` is
 * written as `\u003c` (the same JSON), so no string in it can end the element, and so is any
 * character past ASCII (the browser then decodes the page as 8-bit text, which is faster).
 */
export function listingElement(limit: number, listing: unknown): string {
  const json = JSON.stringify(listing).replace(/[<\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `<script type="application/json" id="${LISTING_ELEMENT_ID}" data-limit="${limit}">${json}</script>`;
}

/**
 * Serves `root`/index.html with the list from `list(limit)` at its marker; false (nothing sent)
 * when there is no such file inside `root` or it has no marker: the caller serves it as a static
 * file. The page up to the marker (its <head>, so the browser starts on the panel's script) goes
 * out before the list is made.
 */
export async function servePanelPage(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  params: URLSearchParams,
  list: (limit: number) => unknown,
): Promise<boolean> {
  const base = resolve(root);
  const file = resolve(base, 'index.html');
  if (!(await stat(file).catch(() => undefined))?.isFile()) return false;
  const [realBase, realFile] = await Promise.all([realpath(base), realpath(file)]);
  if (!realFile.startsWith(realBase + sep)) return false;
  const parts = splitAtMarker(await readFile(file, 'utf8'));
  if (!parts) return false;
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    // A snapshot of the list: never reused.
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  res.write(parts[0]);
  // Let the first part leave before the (synchronous) list is made.
  await new Promise((resolveLater) => setImmediate(resolveLater));
  if (res.destroyed) return true;
  const limit = panelListLimit(params);
  res.end(`${listingElement(limit, list(limit))}${parts[1]}`);
  return true;
}
