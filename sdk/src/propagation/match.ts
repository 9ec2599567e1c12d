/** Resolves `input` against the page (relative URLs are same-origin). Returns undefined for unparsable URLs. */
export function toAbsoluteUrl(input: string): URL | undefined {
  try {
    // An undefined base (no `location`) is the same as none.
    return new URL(input, globalThis.location?.href);
  } catch {
    return undefined;
  }
}

/**
 * True when `url` may receive trace context. A string entry matches by prefix of the absolute URL
 * ending at a path segment (so `http://localhost:8787` covers its paths and `/api` covers `/api/chat`
 * but not `/apikeys`); an entry that is itself relative (`/api`) means the page's origin. RegExps are
 * tested against the absolute URL.
 */
/** What may follow a matched prefix: the end of the URL (charAt gives '', which includes() finds), or the start of a segment, query or fragment. */
const PATH_END = '/?#';

export function shouldPropagate(url: URL | undefined, propagateTo: readonly (string | RegExp)[]): boolean {
  if (url === undefined || propagateTo.length === 0) return false;
  const href = url.href;
  const http = httpEquivalent(url);
  for (const entry of propagateTo) {
    if (typeof entry === 'string') {
      const absolute = toAbsoluteUrl(entry);
      if (absolute === undefined) continue;
      const target = httpEquivalent(absolute);
      if (target.origin !== http.origin) continue;
      const prefix = target.pathname === '/' && !entry.endsWith('/') ? target.origin : target.origin + target.pathname;
      if (http.href.startsWith(prefix) && (prefix.endsWith('/') || PATH_END.includes(http.href.charAt(prefix.length)))) return true;
    } else if (entry instanceof RegExp) {
      entry.lastIndex = 0;
      if (entry.test(href)) return true;
    }
  }
  return false;
}

/** ws: and wss: URLs compare as their http: and https: twins. */
export function httpEquivalent(url: URL): URL {
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return url;
  const copy = new URL(url.href);
  copy.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  return copy;
}

/** True for the exporter's own endpoint (never traced). */
export function isExportUrl(url: URL, endpoint: string): boolean {
  const target = toAbsoluteUrl(endpoint);
  return target !== undefined && url.origin === target.origin && url.pathname === target.pathname;
}
